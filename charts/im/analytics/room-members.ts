/** One row of `room_members_by_time`: a room's distinct senders, or (room null) the host's across its rooms. */
export interface RoomMembersRow {
  server_host: string;
  room: string | null;
  members: number;
}

/** Members of active rooms (docs/analytics.md), split into each room's and each host's distinct senders. */
export interface RoomMembers {
  /** Distinct senders across the host's rooms: a member of two rooms counts once. */
  byHost: Map<string, number>;
  /** Distinct senders of each room, by room JID. */
  byRoom: Map<string, number>;
}

export function roomMembers(rows: readonly RoomMembersRow[]): RoomMembers {
  const byHost = new Map<string, number>();
  const byRoom = new Map<string, number>();
  for (const r of rows) {
    if (r.room === null) byHost.set(r.server_host, r.members);
    else byRoom.set(r.room, r.members);
  }
  return { byHost, byRoom };
}
