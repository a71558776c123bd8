import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterAutoscalerImages, controllerCharts } from "../../../components/aws/controllers";
import { databaseSizes, nodeSizes } from "../../../components/aws/sizes";
import {
  clusterVersions,
  databaseVersions,
  eksAddonVersions,
  rdsParameterFamilies,
} from "../../../components/aws/versions";
import { planZones } from "../../../components/aws/zones";
import { kubernetesVersions, postgresVersions, sizeClass, sizes } from "../../../config/clouds";
import { regions } from "../../../config/regions";

test("every abstract size maps to a node type and a database class of exactly its vCPU and memory class", () => {
  for (const size of sizes) {
    assert.deepEqual(
      { vcpu: nodeSizes[size].vcpu, memoryGiB: nodeSizes[size].memoryGiB },
      sizeClass[size],
      `node ${size}`,
    );
    assert.deepEqual(
      { vcpu: databaseSizes[size].vcpu, memoryGiB: databaseSizes[size].memoryGiB },
      sizeClass[size],
      `database ${size}`,
    );
    assert.match(databaseSizes[size].type, /^db\./);
  }
});

test("the known-good size table stays as it was (a change here resizes live nodes and databases)", () => {
  assert.deepEqual(
    sizes.map((s) => [nodeSizes[s].type, databaseSizes[s].type]),
    [
      ["m6i.large", "db.m6i.large"],
      ["m6i.xlarge", "db.m6i.xlarge"],
      ["m6i.2xlarge", "db.m6i.2xlarge"],
      ["m6i.4xlarge", "db.m6i.4xlarge"],
    ],
  );
});

test(
  "every offered PostgreSQL major maps to that major alone " + "(RDS keeps the minor current) and its parameter family",
  () => {
    for (const major of postgresVersions) {
      assert.equal(databaseVersions[major], major);
      assert.equal(rdsParameterFamilies[major], `postgres${major}`);
    }
  },
);

test(
  "every offered Kubernetes minor has pinned add-on builds, kube-proxy matching the minor, and an autoscaler of " +
    "that minor",
  () => {
    for (const version of kubernetesVersions) {
      assert.equal(clusterVersions[version], version, "EKS takes the minor alone");
      const addons = eksAddonVersions[version];
      for (const [addon, build] of Object.entries(addons))
        assert.match(build, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${version} ${addon}`);
      assert.ok(addons["kube-proxy"].startsWith(`v${version}.`), `kube-proxy ${addons["kube-proxy"]} for ${version}`);
      assert.ok(clusterAutoscalerImages[version].startsWith(`v${version}.`), `cluster-autoscaler for ${version}`);
    }
    for (const chart of Object.values(controllerCharts)) assert.match(chart.version, /^\d+\.\d+\.\d+$/);
  },
);

test("availability zones: three distinct zones of the region for every supported region", () => {
  for (const region of regions.aws) {
    const zones = planZones(region, 3);
    assert.equal(new Set(zones).size, 3);
    for (const zone of zones) assert.match(zone, new RegExp(`^${region}[a-f]$`));
  }
  assert.deepEqual(planZones("eu-central-1", 2), ["eu-central-1a", "eu-central-1b"]);
  assert.deepEqual(planZones("ap-northeast-1", 3), ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
});

test("availability zones: a count the region cannot hold is refused with the allowed range", () => {
  assert.throws(() => planZones("eu-central-1", 4), /'zones' \(4\) must be 1 to 3 in eu-central-1/);
  assert.throws(() => planZones("eu-central-1", 0), /'zones' \(0\)/);
});
