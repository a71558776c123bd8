/** Moved to local/cluster-node.ts, which `npm run bench:im -- --scenario cluster` also uses. */
export * from "../../local/cluster-node";
