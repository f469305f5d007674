// The viewer: one tab is one user in one room, connected to the dev
// Push-Manager over a WebSocket. It shows what Push-Manager pushes to this
// user, every call Push-Manager answered, and the local dead letters.

// The `format` metadata of an AUDIO push, as the browser's MIME type.
const AUDIO_MIME_TYPES = {
  opus: 'audio/ogg; codecs=opus',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  webm: 'audio/webm',
};
const RECONNECT_FIRST_DELAY_MS = 500;
const RECONNECT_MAX_DELAY_MS = 5000;
const ACTIVITY_SHOWN = 50;
const STARTING_RETRY_MS = 1000;

const $ = (id) => document.getElementById(id);

const view = {
  socket: undefined,
  userId: '',
  roomId: '',
  joined: false,
  connection: 'idle',
  presence: undefined,
  lastActivity: undefined,
  received: 0,
  reconnectDelayMs: RECONNECT_FIRST_DELAY_MS,
  reconnectTimer: undefined,
};

function clock(date) {
  return date.toLocaleTimeString([], { hour12: false });
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function describeActivity(activity) {
  const target =
    activity.method === 'BroadcastMessage' ? 'everyone' : activity.target;
  const outcome = activity.success
    ? `delivered to ${activity.deliveredCount}`
    : 'not delivered';
  return `${activity.method} ${activity.messageType} to ${target}: ${outcome}`;
}

function renderStatus() {
  const status = $('status');
  status.dataset.state = view.connection;
  if (view.connection === 'idle') {
    status.textContent =
      'Pick a user and a room, then join. Each tab is one user.';
    return;
  }

  const parts = [
    `${view.connection} as ${view.userId} in ${view.roomId}`,
    `received ${view.received}`,
  ];
  if (view.presence) {
    const rooms = Object.entries(view.presence.rooms)
      .map(([room, users]) => `${room}: ${users.join(', ')}`)
      .join('; ');
    parts.push(`${view.presence.users.length} user(s) online (${rooms})`);
  }
  if (view.lastActivity) {
    parts.push(`last push: ${describeActivity(view.lastActivity)}`);
  }
  status.textContent = parts.join(' · ');
}

function metadataList(metadata) {
  const list = document.createDocumentFragment();
  for (const [key, value] of Object.entries(metadata).sort()) {
    const pair = element('div');
    pair.append(element('dt', '', key), element('dd', '', value));
    list.append(pair);
  }
  return list;
}

function base64ToBytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function audioBody(message) {
  const body = document.createDocumentFragment();
  const format = message.metadata.format ?? '';
  // A clip over the inline limit comes as a presigned URL instead of bytes.
  const link = message.metadata.url;
  const player = element('audio');
  player.controls = true;
  player.preload = 'auto';

  let source;
  if (message.dataBytes > 0) {
    const type =
      message.metadata.content_type ??
      AUDIO_MIME_TYPES[format] ??
      'application/octet-stream';
    const blob = new Blob([base64ToBytes(message.dataBase64)], { type });
    player.src = URL.createObjectURL(blob);
    source = `inline, ${message.dataBytes} bytes`;
  } else if (link) {
    player.src = link;
    source = 'by presigned URL';
  } else {
    source = 'no bytes and no URL';
  }

  const facts = element('p', 'audio-facts');
  const announced = message.metadata.duration
    ? `${message.metadata.duration} ms`
    : 'unknown duration';
  const describe = (played) => {
    facts.textContent = `${format || 'audio'} · ${announced} · ${source}${played}`;
  };
  describe('');
  player.addEventListener('loadedmetadata', () => {
    if (Number.isFinite(player.duration)) {
      describe(` · player: ${player.duration.toFixed(2)} s`);
    }
  });
  player.addEventListener('error', () => describe(' · player: cannot load'));

  body.append(player, facts);
  return body;
}

function textBody(message) {
  const body = document.createDocumentFragment();
  if (message.type === 'TRANSLATION') {
    const from = message.metadata.source ?? '?';
    const to = message.metadata.language ?? '?';
    body.append(element('p', 'languages', `${from} → ${to}`));
  }
  body.append(element('p', 'message-text', message.text ?? ''));
  return body;
}

function showMessage(message) {
  const card = $('message-card').content.firstElementChild.cloneNode(true);
  card.dataset.type = message.type;
  if (message.metadata.message_id) {
    card.dataset.messageId = message.metadata.message_id;
  }
  if (message.type === 'SYSTEM') {
    card.dataset.priority = message.metadata.priority ?? 'normal';
  }

  const badge = card.querySelector('.badge');
  badge.textContent =
    message.type === 'SYSTEM'
      ? `ANNOUNCEMENT · ${card.dataset.priority}`
      : message.type;
  card.querySelector('.via').textContent = message.via;
  const sent = new Date(message.timestamp * 1000);
  const received = card.querySelector('.received');
  received.dateTime = message.receivedAt;
  received.textContent =
    `received ${clock(new Date(message.receivedAt))}` +
    ` · sent ${clock(sent)}`;

  card
    .querySelector('.card-body')
    .append(
      message.dataBase64 !== undefined ? audioBody(message) : textBody(message),
    );
  card.querySelector('.metadata').append(metadataList(message.metadata));

  $('messages').prepend(card);
  $('no-messages').hidden = true;
  view.received += 1;
  renderStatus();
}

function showActivity(activity) {
  const item = element('li');
  item.dataset.success = String(activity.success);
  item.dataset.method = activity.method;
  item.dataset.target = activity.target;
  item.append(
    element('span', '', `${clock(new Date(activity.at))} `),
    element('span', 'outcome', describeActivity(activity)),
  );
  const details = [activity.message];
  if (activity.excludedUserIds.length) {
    details.push(`excluded ${activity.excludedUserIds.join(', ')}`);
  }
  item.append(element('span', 'detail', details.join(' · ')));

  const list = $('activity');
  list.prepend(item);
  while (list.children.length > ACTIVITY_SHOWN) list.lastElementChild.remove();
  $('no-activity').hidden = true;
  view.lastActivity = activity;
  renderStatus();
}

async function loadDeadLetters() {
  const note = $('dead-letters-note');
  const list = $('dead-letters');
  let answer;
  try {
    const response = await fetch('dead-letters', { cache: 'no-store' });
    if (response.status === 503) {
      note.textContent = 'The stack is still starting…';
      setTimeout(loadDeadLetters, STARTING_RETRY_MS);
      return;
    }
    if (response.status === 404) {
      list.replaceChildren();
      note.textContent =
        'No local queue here: this Push-Manager was started alone.';
      note.hidden = false;
      return;
    }
    answer = await response.json();
  } catch (error) {
    note.textContent = `Cannot load dead letters: ${error.message}`;
    note.hidden = false;
    return;
  }

  list.replaceChildren(
    ...answer.entries.reverse().map((entry) => {
      const item = element('li');
      item.dataset.source = entry.source;
      item.append(
        element('span', '', `${clock(new Date(entry.at))} `),
        element('span', 'outcome', `${entry.source} → ${entry.functionName}`),
        element('span', 'detail', entry.reason),
        element('span', 'detail', JSON.stringify(entry.event)),
      );
      return item;
    }),
  );
  note.textContent = `None yet. File: ${answer.file}`;
  note.hidden = answer.entries.length > 0;
}

function onEvent(event) {
  switch (event.kind) {
    case 'welcome':
      view.reconnectDelayMs = RECONNECT_FIRST_DELAY_MS;
      break;
    case 'message':
      showMessage(event);
      break;
    case 'activity':
      showActivity(event);
      break;
    case 'presence':
      view.presence = event;
      renderStatus();
      break;
    case 'dead-letters-changed':
      loadDeadLetters();
      break;
  }
}

function connect() {
  const params = new URLSearchParams({
    userId: view.userId,
    roomId: view.roomId,
  });
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws?${params}`);
  view.socket = socket;
  view.connection = view.connection === 'idle' ? 'connecting' : 'reconnecting';
  renderStatus();

  socket.addEventListener('open', () => {
    view.connection = 'connected';
    $('activity').replaceChildren();
    renderStatus();
    loadDeadLetters();
  });
  socket.addEventListener('message', (message) => {
    onEvent(JSON.parse(message.data));
  });
  socket.addEventListener('close', (closed) => {
    if (view.socket !== socket || !view.joined) return;
    if (closed.code === 4400) {
      view.connection = 'closed';
      view.joined = false;
      $('join-button').textContent = 'Join';
      $('status').textContent = `Refused: ${closed.reason}`;
      return;
    }
    view.connection = 'reconnecting';
    renderStatus();
    view.reconnectTimer = setTimeout(connect, view.reconnectDelayMs);
    view.reconnectDelayMs = Math.min(
      view.reconnectDelayMs * 2,
      RECONNECT_MAX_DELAY_MS,
    );
  });
}

function leave() {
  view.joined = false;
  clearTimeout(view.reconnectTimer);
  view.socket?.close();
  view.socket = undefined;
  view.connection = 'idle';
  view.presence = undefined;
  $('join-button').textContent = 'Join';
  $('user-id').disabled = false;
  $('room-id').disabled = false;
  renderStatus();
}

function join() {
  view.userId = $('user-id').value.trim();
  view.roomId = $('room-id').value.trim();
  view.joined = true;
  view.received = 0;
  view.connection = 'idle';
  $('messages').replaceChildren();
  $('no-messages').hidden = false;
  $('join-button').textContent = 'Leave';
  $('user-id').disabled = true;
  $('room-id').disabled = true;
  document.title = `${view.userId} in ${view.roomId} · Biz-Server viewer`;
  history.replaceState(
    null,
    '',
    `?${new URLSearchParams({ user: view.userId, room: view.roomId })}`,
  );
  connect();
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (view.joined) leave();
  else join();
});
$('refresh-dead-letters').addEventListener('click', loadDeadLetters);

// `?user=user-001&room=room-001` joins at once, so a tab can be bookmarked.
const query = new URLSearchParams(location.search);
if (query.get('user') && query.get('room')) {
  $('user-id').value = query.get('user');
  $('room-id').value = query.get('room');
  join();
} else {
  loadDeadLetters();
}
