import * as pulumi from "@pulumi/pulumi";

/**
 * Lets pure code (the cdk8s chart, the ejabberd renderer) take values that
 * are Pulumi Outputs without knowing Pulumi: `text(output)` hands out a
 * placeholder string, and `resolve(objects)` puts the Outputs back into the
 * synthesized manifests, wherever the placeholder ended up (inside a config
 * file, an annotation, a URL). Secrets never go through here: they are
 * Kubernetes Secrets created from the secret Outputs directly.
 */
export class Deferred {
  private readonly values = new Map<string, pulumi.Output<string>>();
  private readonly prefix: string;

  constructor(scope: string) {
    this.prefix = `warbler-deferred-${scope.replace(/[^a-z0-9]/gi, "").toLowerCase()}-`;
  }

  /** A placeholder that `resolve` replaces with the Output's value. */
  text(value: pulumi.Input<string>): string {
    const token = `${this.prefix}${this.values.size}-end`;
    this.values.set(token, pulumi.output(value));
    return token;
  }

  /** The objects with every placeholder replaced; strings without one stay plain. */
  resolve<T>(value: T): pulumi.Input<T> {
    return this.walk(value) as pulumi.Input<T>;
  }

  /** True when `text` contains a placeholder of this Deferred (for checks that need known values). */
  isDeferred(text: string): boolean {
    return text.includes(this.prefix);
  }

  private walk(value: unknown): unknown {
    if (typeof value === "string") return this.isDeferred(value) ? this.substitute(value) : value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v)]));
    }
    return value;
  }

  private substitute(text: string): pulumi.Output<string> {
    // A value that is only a placeholder is the Output itself, so an unset or unknown value stays so.
    const whole = this.values.get(text);
    if (whole) return whole;
    const pattern = new RegExp(`${this.prefix}\\d+-end`, "g");
    const tokens = [...new Set(text.match(pattern) ?? [])];
    return pulumi
      .all(tokens.map((t) => this.values.get(t)!))
      .apply((resolved) => tokens.reduce((out, token, i) => out.split(token).join(resolved[i]), text));
  }
}
