import { type Incident, loadIncident } from "../app/incidents.js";
import type { SweepDeps } from "./sweep.js";

/**
 * A post as a minute job reads it: one that cannot be read (a bug, a damaged row) is logged and
 * left out (undefined), so that every other post's notice still goes out.
 */
export function readPost(deps: Pick<SweepDeps, "db" | "log">, id: number, job: string): Incident | undefined {
  try {
    return loadIncident(deps.db, id);
  } catch (err) {
    deps.log.error({ incidentId: id, err }, `post left out of ${job}`);
    return undefined;
  }
}
