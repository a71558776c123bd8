/**
 * The ApsaraDB CA chain is a zip download, so the kit cannot ship it the way
 * the AWS and Azure kits ship theirs: the operator supplies its PEM as
 * `warbler:database.caBundle`, whose description in config/ names this URL.
 */
export { apsaraDbCaChainUrl } from "../../config/schema";
