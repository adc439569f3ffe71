import yaml from 'js-yaml';

/**
 * Turns Matomo's SearchEngines.yml (shared/search-engines/data, CC0) into the compact table the runtime
 * matcher reads. Runs at build time only (from the Vite plugin): the extension ships the table, never
 * the YAML or a YAML parser.
 *
 * Format of the source (see data/README in Matomo's repository): each engine name maps to a list of
 * configurations; a configuration has `urls` (hostnames, `{}` standing for a country code subdomain or
 * TLD, optionally followed by a path), `params` (query parameter names, or `/regex/` strings matched
 * against the whole URL whose first group is the keyword), and optional `hiddenkeyword` (paths, or
 * `/regex/` strings, on which the engine hides the keyword).
 */

/** A pattern that is either a literal string or a regular expression source (kept as text so the table
 * is plain JSON). */
export type CompiledPattern = { literal: string } | { regex: string; flags: string };

export interface CompiledConfig {
  /** Index into `engines`. */
  engine: number;
  params: CompiledPattern[];
  hidden: CompiledPattern[];
}

export interface CompiledSearchEngines {
  engines: string[];
  configs: CompiledConfig[];
  /** Host (or host + path) key, exactly as written in the YAML, to an index into `configs`. */
  hosts: Record<string, number>;
}

/** PCRE-style `/source/flags` strings as Matomo writes them; anything else is a literal. */
function toPattern(raw: string): CompiledPattern {
  const match = /^\/(.+)\/([imsux]*)$/s.exec(raw);
  if (!match) return { literal: raw };
  const source = match[1]!;
  const flags = match[2]!.replace(/[x]/g, '');
  new RegExp(source, flags); // fail the build on a pattern JavaScript can't run
  return { regex: source, flags };
}

interface RawConfig {
  urls?: unknown;
  params?: unknown;
  hiddenkeyword?: unknown;
}

function strings(value: unknown, what: string): string[] {
  if (value == null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new TypeError(`${what} must be a list of strings`);
  return value as string[];
}

export function compileSearchEngines(yamlText: string): CompiledSearchEngines {
  const doc = yaml.load(yamlText) as Record<string, RawConfig[]>;
  if (!doc || typeof doc !== 'object') throw new TypeError('SearchEngines.yml is not a mapping');
  const out: CompiledSearchEngines = { engines: [], configs: [], hosts: {} };
  for (const [name, configs] of Object.entries(doc)) {
    if (!Array.isArray(configs)) throw new TypeError(`engine ${name} has no list of configurations`);
    const engine = out.engines.push(name) - 1;
    for (const config of configs) {
      const index = out.configs.push({
        engine,
        params: strings(config.params, `${name}.params`).map(toPattern),
        hidden: strings(config.hiddenkeyword, `${name}.hiddenkeyword`).map(toPattern),
      }) - 1;
      for (const url of strings(config.urls, `${name}.urls`)) {
        const key = url.toLowerCase();
        // Matomo keeps the first definition of a host; so do we.
        if (!(key in out.hosts)) out.hosts[key] = index;
      }
    }
  }
  return out;
}
