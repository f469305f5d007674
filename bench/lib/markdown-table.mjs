/** Formats a number for a table: fixed `digits`, or a dash when missing. */
export function num(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Bytes as B, KiB or MiB. */
export function bytes(value) {
  if (!Number.isFinite(value)) return '-';
  if (value >= 1024 * 1024) return `${num(value / 1024 / 1024, 2)} MiB`;
  if (value >= 1024) return `${num(value / 1024, 1)} KiB`;
  return `${value} B`;
}

/** A Markdown table with columns padded to line up in a terminal. */
export function markdownTable(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => row[column].length)),
  );
  const line = (row) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}
