import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ejabberdImage, ejabberdPaths } from "../../../charts/im/ejabberd";
import { netBindServiceContainer, restrictedContainer, restrictedPod } from "../../../charts/im/pod-security";

/**
 * What the chart relies on in ProcessOne's ejabberd image, with the lines it comes from. Source:
 * github.com/processone/ejabberd, .github/container/Dockerfile (the version the public index holds, commit
 * 021f0be119845532470763299518af9d373db1a3) and .github/container/ejabberdctl.template (commit
 * 01909b07ce4ed74094d12387b24a7617feb58ca7). The 26.07 tag itself is listed under "Not yet verified on a live
 * account" in docs/im.md.
 *
 * - `ARG UID='9000'`, `ARG USER='ejabberd'`, `ARG HOME="opt/$USER"`,
 *   `adduser -s /sbin/nologin -D -u $UID -h /$HOME -G $USER $USER`, `USER $USER`, `VOLUME ["/$HOME"]`;
 * - `ENTRYPOINT ["/sbin/tini","--","ejabberdctl"]`, `CMD ["foreground"]`;
 * - `setcap 'cap_net_bind_service=+ep' $(find $home_root_dir -name beam.smp)`;
 * - the wrapper `usr/local/bin/ejabberdctl` exports `CONFIG_DIR=/$HOME/conf`, `LOGS_DIR=/$HOME/logs`,
 *   `SPOOL_DIR=/$HOME/database` and execs the release's ejabberdctl;
 * - ejabberdctl.template: `COOKIE_FILE="$HOME"/.erlang.cookie` and
 *   `[ -n "$ERLANG_COOKIE" ] && [ ! -f "$COOKIE_FILE" ] && echo "$ERLANG_COOKIE" > "$COOKIE_FILE"`: an existing file
 *   wins over the variable.
 */
describe("ejabberd image facts the chart relies on", () => {
  it("runs as the image's user, uid and gid 9000", () => {
    assert.equal(ejabberdImage.uid, 9000);
    const pod = restrictedPod(ejabberdImage.uid);
    assert.deepEqual([pod.runAsUser, pod.runAsGroup, pod.fsGroup], [9000, 9000, 9000]);
  });

  it("keeps tini, the image's entrypoint, as PID 1", () => {
    assert.equal(ejabberdImage.tini, "/sbin/tini");
  });

  it("mounts Mnesia and logs where the image's ejabberdctl wrapper points, and HOME outside the image's volume", () => {
    assert.equal(ejabberdPaths.spool, "/opt/ejabberd/database");
    assert.equal(ejabberdPaths.logs, "/opt/ejabberd/logs");
    const home: string = ejabberdPaths.home;
    assert.ok(!`${home}/`.startsWith("/opt/ejabberd/"), `HOME ${home} is inside the image's volume /opt/ejabberd`);
  });

  it("adds back NET_BIND_SERVICE and nothing else to the restricted container settings", () => {
    assert.deepEqual(netBindServiceContainer, {
      ...restrictedContainer,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    });
    assert.deepEqual(restrictedContainer.capabilities, { drop: ["ALL"] });
  });
});
