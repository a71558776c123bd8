import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { roomMembers } from "../../../charts/im/analytics/room-members";

describe("members of active rooms from room_members_by_time's rows", () => {
  it("keeps each room's distinct senders apart from the host's, which count a member of two rooms once", () => {
    const { byHost, byRoom } = roomMembers([
      { server_host: "a.example", room: "x@conference.a.example", members: 2 },
      { server_host: "a.example", room: "y@conference.a.example", members: 2 },
      { server_host: "a.example", room: null, members: 3 },
      { server_host: "b.example", room: "z@conference.b.example", members: 1 },
      { server_host: "b.example", room: null, members: 1 },
    ]);
    assert.deepEqual(
      [...byHost],
      [
        ["a.example", 3],
        ["b.example", 1],
      ],
    );
    assert.deepEqual(
      [...byRoom],
      [
        ["x@conference.a.example", 2],
        ["y@conference.a.example", 2],
        ["z@conference.b.example", 1],
      ],
    );
  });

  it("reports no host and no room for a window without group messages", () => {
    const { byHost, byRoom } = roomMembers([]);
    assert.equal(byHost.size + byRoom.size, 0);
  });
});
