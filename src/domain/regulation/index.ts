export { type Anchors, type DeadlineOptions, reminderMoments, stepDeadline, stepStart } from "./deadline.js";
export { BUILT_IN_PRESETS, loadRegulation, parseRegulation, RegulationError } from "./load.js";
export {
  ACTORS,
  type Actor,
  ANCHORS,
  type Anchor,
  DURATION_UNITS,
  type DurationUnit,
  type Regulation,
  STEP_IDS,
  type StepId,
  type StepRule,
} from "./schema.js";
export { type SelfCheckFinding, type SelfCheckProblem, selfCheck } from "./self-check.js";
