import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { assertTimezone } from "../calendar/index.js";
import { type Regulation, regulationSchema, STEP_IDS } from "./schema.js";

/** Thrown for a bad preset; the message names the source and the field, e.g. `steps.answer.duration`. */
export class RegulationError extends Error {
  override name = "RegulationError";
}

export const BUILT_IN_PRESETS = ["orenburg", "georgievsk"] as const;

function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Validates a preset object; `source` prefixes every error message. */
export function parseRegulation(json: unknown, source = "REGULATION"): Regulation {
  const parsed = regulationSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RegulationError(`${source}: ${first ? issueText(first) : "invalid preset"}`);
  }
  const reg = parsed.data;
  try {
    assertTimezone(reg.timezone, "timezone");
  } catch (error) {
    throw new RegulationError(`${source}: ${(error as Error).message}`);
  }
  for (const id of STEP_IDS) {
    const target = reg.steps[id]?.before?.step;
    if (target === undefined) continue;
    const targetRule = reg.steps[target];
    if (!targetRule || targetRule.before || target === id) {
      throw new RegulationError(
        `${source}: steps.${id}.before.step: expected a step with its own duration, got "${target}"`,
      );
    }
  }
  return reg;
}

/**
 * Loads the preset named by the REGULATION setting: a built-in name ("orenburg", "georgievsk")
 * or a path to a .json preset (relative paths are resolved against `cwd`).
 */
export function loadRegulation(spec: string, opts: { cwd?: string } = {}): Regulation {
  const name = spec.trim();
  if ((BUILT_IN_PRESETS as readonly string[]).includes(name)) {
    const path = fileURLToPath(new URL(`./presets/${name}.json`, import.meta.url));
    return parseRegulation(JSON.parse(readFileSync(path, "utf8")), `REGULATION preset ${name}`);
  }
  if (!name.endsWith(".json")) {
    throw new RegulationError(
      `REGULATION: expected ${BUILT_IN_PRESETS.join(" or ")} or a path to a .json preset, got "${spec}"`,
    );
  }
  const source = `REGULATION file ${name}`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(opts.cwd ?? process.cwd(), name), "utf8"));
  } catch (error) {
    throw new RegulationError(`${source}: ${(error as Error).message}`);
  }
  return parseRegulation(json, source);
}
