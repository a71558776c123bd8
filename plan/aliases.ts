/**
 * Pulumi aliases, resolved to URNs by the engine's rules (pkg/resource/deploy/step_generator.go:
 * collapseAliasToUrn, inheritedChildAlias, generateAliases), so an offline plan can tell which old
 * URNs a resource would take over. Under mocks the SDK resolves nothing: it sends each alias as a URN
 * or as a spec (name, type, stack, project, parent) in the RegisterResource request, and the engine,
 * which is absent here, would do the rest.
 *
 * Two differences, both on purpose:
 * - URNs are built as the mock monitor builds them (@pulumi/pulumi runtime/mocks.js newUrn): a
 *   child's type is qualified by its parent's own type only, where the engine qualifies it by every
 *   ancestor's. The offline plan's URNs are the mock's, so aliases must resolve to the same kind.
 * - The engine inherits a child's aliases from the one alias its parent actually matched in the old
 *   state; with no old state here, a child inherits from every alias of its parent, so the result is
 *   every URN the resource could take over.
 */

/** One alias as the SDK sends it: a whole URN, or a spec whose empty fields default to the resource's. */
export interface AliasSpec {
  /** A whole URN; the other fields are then unused. @default - none: a spec */
  urn?: string;
  /** @default - the resource's name */
  name?: string;
  /** @default - the resource's type */
  type?: string;
  /** @default - the program's stack */
  stack?: string;
  /** @default - the program's project */
  project?: string;
  /** @default - the resource's parent (the Node.js SDK always sends it) */
  parentUrn?: string;
  /** The alias had no parent (`parent: undefined` in the alias). @default false */
  noParent?: boolean;
}

/** A registration, as far as aliases are concerned. */
export interface AliasedRegistration {
  type: string;
  name: string;
  /** URN of the parent; empty for a top-level resource. */
  parent: string;
  aliases: AliasSpec[];
}

export interface AliasContext {
  project: string;
  stack: string;
  /** The alias URNs already resolved for a registered resource (a parent), by its URN. */
  aliasesOf(urn: string): readonly string[];
}

/** The parts of a URN: urn:pulumi:<stack>::<project>::<qualified type>::<name>. */
export function parseUrn(urn: string): {
  stack: string;
  project: string;
  qualifiedType: string;
  type: string;
  name: string;
} {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`'${urn}' is not a Pulumi URN`);
  const qualifiedType = parts[2];
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1],
    qualifiedType,
    type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
    name: parts.slice(3).join("::"),
  };
}

/** The URN the mock monitor gives a resource: its type is qualified by its parent's own type. */
export function createUrn(name: string, type: string, parent: string, project: string, stack: string): string {
  const qualified = parent ? `${parseUrn(parent).type}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The name a child had under an aliased parent: a child named "<parent name>-x" was named
 * "<old parent name>-x" (the naming convention of STYLE.md 2, which the engine assumes too).
 */
export function inheritedChildAlias(
  childType: string,
  childName: string,
  parentName: string,
  parentAlias: string,
  ctx: AliasContext,
): string {
  const oldParentName = parseUrn(parentAlias).name;
  const name = childName.startsWith(parentName) ? oldParentName + childName.slice(parentName.length) : childName;
  return createUrn(name, childType, parentAlias, ctx.project, ctx.stack);
}

/**
 * Every URN the registration could take over: its own aliases (under its parent's URN or any of the
 * parent's aliases), then, for each alias of its parent, its own name and each of its aliases under
 * that old parent. Deduplicated, in that order, without the resource's own URN.
 */
export function resolveAliases(reg: AliasedRegistration, ctx: AliasContext): string[] {
  const result: string[] = [];
  const add = (urn: string) => {
    if (!result.includes(urn)) result.push(urn);
  };
  const collapse = (alias: AliasSpec, parent: string): string =>
    alias.urn ||
    createUrn(
      alias.name || reg.name,
      alias.type || reg.type,
      alias.noParent ? "" : parent,
      alias.project || ctx.project,
      alias.stack || ctx.stack,
    );

  const own: string[] = [];
  for (const alias of reg.aliases) {
    const parent = alias.parentUrn || reg.parent;
    for (const p of [parent, ...(parent ? ctx.aliasesOf(parent) : [])]) {
      const urn = collapse(alias, p);
      add(urn);
      own.push(urn);
    }
  }
  if (reg.parent) {
    const parentName = parseUrn(reg.parent).name;
    for (const parentAlias of ctx.aliasesOf(reg.parent)) {
      add(inheritedChildAlias(reg.type, reg.name, parentName, parentAlias, ctx));
      for (const urn of own) {
        const { type, name } = parseUrn(urn);
        add(inheritedChildAlias(type, name, parentName, parentAlias, ctx));
      }
    }
  }
  const self = createUrn(reg.name, reg.type, reg.parent, ctx.project, ctx.stack);
  return result.filter((urn) => urn !== self);
}
