import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ownerOf, parseSlotPath, signSlot, verifySlot } from "../../../../charts/im/upload/token";

/*
 * Source: processone/ejabberd src/mod_http_upload.erl, make_query_string/3 (HMAC-SHA256 over
 * "<user>/<random>/<file> <size>", hex), make_user_string/2 (str:sha of "<luser>@<lserver>"), make_file_string/1
 * (anything but \p{Xan}, `_`, `.`, `-` becomes `_`) and mk_slot/4 (the URL is percent-encoded after signing).
 * The vectors below were measured against Debian's ejabberd 23.01 on this machine (helper U, issue 10): a user
 * registered as "Alice" on example.test, external_secret "s3cr3t-for-verify", put_url http://127.0.0.1:9999/up,
 * slot requests through @xmpp/client 0.14.0 (urn:xmpp:http:upload:0).
 */
const measured = {
  secret: "s3cr3t-for-verify",
  owner: "5b3b76e703135ea0bcdb7cb773350e55c1dfa95a",
  slots: [
    {
      putPath: "/up/5b3b76e703135ea0bcdb7cb773350e55c1dfa95a/jBgdNWnDGqsoL4YP4lvDQGiHoDFLbNUNJYaZmqgb/a.png",
      size: 99,
      v: "800e48d9af23413ba7344e57bc9cf61513e78e8de781d01b822a7cf636629e9b",
    },
    {
      // Requested as "héllo wörld.txt": the space became `_`, the letters stayed and were percent-encoded.
      putPath: [
        "/up/5b3b76e703135ea0bcdb7cb773350e55c1dfa95a",
        "zXFuBFkO3pKxf7grCqPG0lkt72dBH3S3HLnXkfWX/h%C3%A9llo_w%C3%B6rld.txt",
      ].join("/"),
      size: 1234,
      v: "71dd92b5d507d0b46c6efdb14352ed82f72c5010974e971aa30eb078088f7aac",
    },
  ],
};

describe("slot tokens as ejabberd 23.01 signs them", () => {
  it("the owner segment is sha1 of the stringprepped bare JID, lowercase hex", () => {
    assert.equal(ownerOf("alice", "example.test"), measured.owner);
  });

  for (const s of measured.slots) {
    it(`verifies the token ejabberd issued for ${s.putPath.split("/").pop()} (${s.size} bytes)`, () => {
      const slot = parseSlotPath(s.putPath, "/up");
      assert.ok(slot);
      assert.equal(slot.owner, measured.owner);
      assert.equal(signSlot(measured.secret, slot.key, s.size), s.v);
      assert.ok(verifySlot(measured.secret, slot.key, s.size, s.v));
    });
  }

  const [a] = measured.slots;
  const slot = parseSlotPath(a.putPath, "/up")!;

  it("refuses a tampered path, a tampered size, a wrong secret and a missing or malformed token", () => {
    assert.equal(verifySlot(measured.secret, slot.key.replace("a.png", "b.png"), a.size, a.v), false);
    assert.equal(verifySlot(measured.secret, slot.key, a.size + 1, a.v), false);
    assert.equal(verifySlot("another-secret", slot.key, a.size, a.v), false);
    for (const token of [undefined, null, "", "00", `${a.v}00`, "z".repeat(64)]) {
      assert.equal(verifySlot(measured.secret, slot.key, a.size, token), false, String(token));
    }
  });

  it("any change to the signed path or size fails verification (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.nat({ max: 1000 }), (secret, size, delta) => {
        const token = signSlot(secret, slot.key, size);
        assert.ok(verifySlot(secret, slot.key, size, token));
        assert.equal(verifySlot(secret, slot.key, size + delta + 1, token), false);
        assert.equal(verifySlot(secret, `${slot.key}x`, size, token), false);
      }),
    );
  });
});

describe("slot paths", () => {
  const owner = measured.owner;
  it("accepts exactly owner/random/file under the prefix", () => {
    assert.deepEqual(parseSlotPath(`/${owner}/abc123/x.jpg`), {
      owner,
      random: "abc123",
      file: "x.jpg",
      key: `${owner}/abc123/x.jpg`,
    });
    assert.ok(parseSlotPath(`/upload/${owner}/abc123/x.jpg`, "/upload/"));
  });

  const refused: [string, string][] = [
    ["outside the prefix", `/other/${owner}/abc/x.jpg`],
    ["too few segments", `/${owner}/x.jpg`],
    ["too many segments", `/${owner}/abc/def/x.jpg`],
    ["an owner that is not sha1 hex", `/${owner.toUpperCase()}/abc/x.jpg`],
    ["a random segment with symbols", `/${owner}/ab-c/x.jpg`],
    ["a dot-dot file", `/${owner}/abc/..`],
    ["an encoded slash in the file", `/${owner}/abc/a%2Fb`],
    ["a file with a space (ejabberd writes `_`)", `/${owner}/abc/a%20b`],
    ["broken percent-encoding", `/${owner}/abc/%E0%A4%A`],
  ];
  for (const [why, path] of refused) {
    it(`refuses ${why}`, () =>
      assert.equal(parseSlotPath(path, path.startsWith("/other") ? "/upload" : "/"), undefined));
  }
});
