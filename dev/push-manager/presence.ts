/** One open viewer tab: a user who joined a room. */
export interface ViewerClient {
  /** Unique per connection; a user may have several tabs open. */
  readonly connectionId: string;
  readonly userId: string;
  readonly roomId: string;
  send(event: object): void;
}

/** Who is connected, by room and by user, as Push-Manager would know it. */
export interface PresenceSummary {
  connections: number;
  users: string[];
  rooms: Record<string, string[]>;
}

/**
 * The rooms and users of the dev Push-Manager: exactly the viewer tabs that
 * are connected. A room exists while someone is in it, a user is online
 * while one of their tabs is open.
 */
export class Presence {
  readonly #clients = new Map<string, ViewerClient>();

  join(client: ViewerClient): void {
    this.#clients.set(client.connectionId, client);
  }

  leave(connectionId: string): void {
    this.#clients.delete(connectionId);
  }

  /** Everyone in the room, or `undefined` when nobody is in it. */
  inRoom(roomId: string): ViewerClient[] | undefined {
    const members = this.everyone().filter((c) => c.roomId === roomId);
    return members.length === 0 ? undefined : members;
  }

  /** Every open tab of the user; empty when the user is not online. */
  ofUser(userId: string): ViewerClient[] {
    return this.everyone().filter((client) => client.userId === userId);
  }

  everyone(): ViewerClient[] {
    return [...this.#clients.values()];
  }

  summary(): PresenceSummary {
    const rooms: Record<string, string[]> = {};
    const users = new Set<string>();
    for (const client of this.#clients.values()) {
      users.add(client.userId);
      const members = rooms[client.roomId] ?? [];
      if (!members.includes(client.userId)) members.push(client.userId);
      rooms[client.roomId] = members;
    }
    return {
      connections: this.#clients.size,
      users: [...users].sort(),
      rooms,
    };
  }
}
