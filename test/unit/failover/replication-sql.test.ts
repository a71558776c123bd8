import assert from "node:assert/strict";
import { test } from "node:test";
import {
  direction,
  type PublisherEndpoint,
  prepareSteps,
  type ReplicationGrant,
  roleSteps,
  sequenceSyncStep,
  stockPostgres,
  subscriptionSteps,
  unpublishedTables,
} from "../../../failover/replication-sql";
import { executionSpelling, renderForDisplay, renderPsqlScript, renderStatement } from "../../../failover/sql-step";

const endpoint: PublisherEndpoint = {
  host: "db.primary.internal",
  port: 5432,
  database: "ejabberd",
  sslmode: "require",
};
const SECRET = "s3cretPassw0rd";

test("subscription and slot names say which way data flows, so the two directions never clash", () => {
  assert.deepEqual(direction("aws", "azure"), { subscription: "warbler_from_aws", slot: "warbler_aws_to_azure" });
  assert.notEqual(direction("aws", "azure").slot, direction("azure", "aws").slot);
});

test("site names that would break SQL identifiers, or a site replicating to itself, are rejected", () => {
  assert.throws(() => direction("AWS", "azure"), /'from' \("AWS"\) must be 1-20 lowercase/);
  assert.throws(() => direction("aws", "aws"), /'to' \("aws"\) must differ from 'from': a site cannot replicate/);
});

test("a server that reserves the REPLICATION attribute grants rds_replication; the others take the attribute", () => {
  const sql = (replicationGrant: ReplicationGrant) => renderForDisplay(roleSteps({ replicationGrant }));
  assert.match(sql("rds_replication role"), /GRANT rds_replication TO warbler_replicator/);
  assert.doesNotMatch(sql("rds_replication role"), /WITH REPLICATION/);
  assert.match(sql("REPLICATION attribute"), /ALTER ROLE warbler_replicator WITH REPLICATION/);
  assert.doesNotMatch(sql("REPLICATION attribute"), /rds_replication/);
});

test("the replication password appears only in executed SQL, never in the display or the Job's script", () => {
  const subscription = subscriptionSteps(direction("aws", "azure"), endpoint, { copyData: true, createSlot: true });
  const steps = [...roleSteps(stockPostgres), ...subscription];
  const executed = steps
    .flatMap((s) => s.statements.map((st) => renderStatement(st, executionSpelling({ replication_password: SECRET }))))
    .join("\n");
  assert.match(executed, new RegExp(`PASSWORD '${SECRET}'`));
  // The conninfo quotes the value; the SQL literal around the conninfo doubles those quotes.
  assert.match(executed, new RegExp(`password=''${SECRET}''`));
  const shown = renderForDisplay(steps);
  const script = renderPsqlScript("standby", steps);
  for (const text of [shown, script]) assert.doesNotMatch(text, new RegExp(SECRET));
  assert.match(shown, /PASSWORD '\*{8}'/);
  assert.match(script, /PASSWORD :'replication_password'/);
  assert.match(
    script,
    new RegExp(
      /\\set warbler_conninfo_1 'host=db\.primary\.internal port=5432 dbname=ejabberd user=warbler_replicator /.source +
        /sslmode=require application_name=warbler password=' :replication_password/.source,
    ),
  );
});

test("a password with quotes and backslashes survives both SQL and conninfo quoting", () => {
  const [create] = subscriptionSteps(direction("aws", "azure"), endpoint, { copyData: true, createSlot: true });
  const sql = renderStatement(create.statements[0], executionSpelling({ replication_password: `a'b\\c` }));
  // conninfo escapes ' as \' and \ as \\; the SQL literal then doubles every quote.
  assert.match(sql, /password=''a\\''b\\\\c''/);
});

test("executing a step that needs a secret without it fails naming the secret", () => {
  const [create] = roleSteps(stockPostgres);
  assert.throws(() => renderStatement(create.statements[0], executionSpelling({})), /'replication_password' is needed/);
});

test("the Job's psql script runs a step with a 'needed' check only when the check says so", () => {
  const script = renderPsqlScript("primary", roleSteps(stockPostgres));
  assert.match(
    script,
    new RegExp(
      /SELECT \(NOT EXISTS \(SELECT 1 FROM pg_roles WHERE rolname = 'warbler_replicator'\)\) AS warbler_needed /
        .source + /\\gset\n\\if :warbler_needed\nCREATE ROLE/.source,
    ),
  );
  assert.match(script, /^\\set ON_ERROR_STOP on$/m);
});

test("a reverse subscription neither copies rows nor creates a slot; a first one does both", () => {
  const text = (copyData: boolean, createSlot: boolean) =>
    renderForDisplay(subscriptionSteps(direction("azure", "aws"), endpoint, { copyData, createSlot }));
  assert.match(
    text(false, false),
    /WITH \(copy_data = false, create_slot = false, slot_name = 'warbler_azure_to_aws'\)/,
  );
  assert.match(text(true, true), /WITH \(copy_data = true, create_slot = true, slot_name = 'warbler_azure_to_aws'\)/);
});

test("a publisher endpoint that would inject into the conninfo is rejected with every problem named", () => {
  assert.throws(
    () =>
      subscriptionSteps(
        direction("aws", "azure"),
        { host: "h password=x", port: 70000, database: "a b", sslmode: "require" },
        { copyData: true, createSlot: true },
      ),
    (err: Error) =>
      /'host'/.test(err.message) && /'port' \(70000\)/.test(err.message) && /'database'/.test(err.message),
  );
});

test("the publication leaves out exactly ejabberd's live-state tables", () => {
  const publication = prepareSteps().find((s) => s.name === "publication");
  assert.ok(publication);
  const sql = renderForDisplay([publication]);
  for (const table of unpublishedTables) assert.match(sql, new RegExp(`'${table}'`));
  assert.match(sql, /ALTER PUBLICATION %I SET TABLE/);
  assert.match(sql, /CREATE PUBLICATION %I FOR TABLE/);
});

test("sequence sync takes the old primary's values as floors, adds the gap and never lowers a sequence", () => {
  const sql = renderForDisplay([sequenceSyncStep(1000, { "public.archive_id_seq": "41" })]);
  assert.match(sql, /'\{"public\.archive_id_seq":"41"\}'::jsonb/);
  assert.match(sql, /\+ 1000;/);
  assert.match(sql, /greatest\(%s, last_value\)/);
});

test("sequence sync rejects a gap or floor that is not a non-negative integer", () => {
  assert.throws(() => sequenceSyncStep(0), { message: "'gap' (0) must be a positive integer" });
  const injected = `'floors["public.s"]' ("1; DROP TABLE users") must be a non-negative integer`;
  assert.throws(() => sequenceSyncStep(10, { "public.s": "1; DROP TABLE users" }), { message: injected });
});
