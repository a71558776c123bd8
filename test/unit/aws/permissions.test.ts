import assert from "node:assert/strict";
import { test } from "node:test";
import {
  clusterAutoscalerPolicy,
  irsaTrust,
  loadBalancerControllerPolicy,
  serviceTrust,
} from "../../../components/aws/permissions";

const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();

test("the load balancer controller may create, change or delete only what carries its cluster's tag", () => {
  const policy = loadBalancerControllerPolicy("c1");
  const mutating = policy.Statement.filter((s) => !["Read", "Listeners", "LinkElbServiceRole"].includes(s.Sid ?? ""));
  assert.ok(mutating.length >= 4);
  for (const s of mutating) {
    const condition = JSON.stringify(s.Condition);
    assert.ok(condition.includes('/elbv2.k8s.aws/cluster":"c1"'), `${s.Sid} is scoped to the cluster tag`);
  }
  const read = policy.Statement.find((s) => s.Sid === "Read");
  assert.ok(read && actionsOf(read).every((a) => /:(Describe|Get)/.test(a)), "the unconditioned statement only reads");
  const listeners = policy.Statement.find((s) => s.Sid === "Listeners");
  assert.ok(listeners && actionsOf(listeners).every((a) => a.includes("Listener")));
  assert.ok(
    policy.Statement.every((s) => s.Effect === "Allow" && !actionsOf(s).some((a) => a === "*" || a.endsWith(":*"))),
  );
});

test("the cluster autoscaler may resize only groups tagged as owned by its cluster", () => {
  const [read, resize] = clusterAutoscalerPolicy("c1").Statement;
  assert.ok(actionsOf(read).every((a) => /:(Describe|Get)/.test(a)));
  assert.deepEqual(actionsOf(resize), [
    "autoscaling:SetDesiredCapacity",
    "autoscaling:TerminateInstanceInAutoScalingGroup",
  ]);
  assert.deepEqual(resize.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c1": "owned" } });
});

test("IRSA trust names the issuer without scheme, one ServiceAccount and the STS audience", () => {
  const [s] = irsaTrust({
    oidcProviderArn: "arn:p",
    issuerUrl: "https://oidc.eks.x.amazonaws.com/id/AB",
    namespace: "ns",
    serviceAccount: "sa",
  }).Statement;
  assert.deepEqual(s.Condition, {
    StringEquals: {
      "oidc.eks.x.amazonaws.com/id/AB:sub": "system:serviceaccount:ns:sa",
      "oidc.eks.x.amazonaws.com/id/AB:aud": "sts.amazonaws.com",
    },
  });
  assert.deepEqual(serviceTrust("eks.amazonaws.com").Statement[0].Principal, { Service: "eks.amazonaws.com" });
});
