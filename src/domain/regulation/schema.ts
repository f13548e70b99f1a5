import { z } from "zod";

export const STEP_IDS = [
  "routing",
  "return",
  "draft",
  "decision",
  "rework",
  "publication",
  "answer",
  "coexecutorPart",
  "coexecutorPassOn",
  "coexecutorRework",
  "finalAfterInterim",
] as const;

/** The moments a step's clock can start from; they are events of an incident. */
export const ANCHORS = [
  "postDate",
  "detection",
  "routing",
  "receipt",
  "draftSubmission",
  "reworkRequest",
  "approval",
  "interimPublication",
  "partSubmission",
  "partReturn",
  /** The lead's receipt, or with co-executors the moment the last of their parts reached it. */
  "partsReceived",
] as const;

export const DURATION_UNITS = [
  "workingMinutes",
  "workingHours",
  "workingDays",
  "calendarHours",
  "calendarDays",
] as const;

export const ACTORS = ["curator", "executor", "leadExecutor", "coexecutor"] as const;

const clause = z.string({ error: 'expected the clause of the regulation, e.g. "п. 8"' }).min(1);
const note = z.string({ error: "expected a text" }).optional();
const positive = z
  .number({ error: "expected a positive number" })
  .positive({ error: "expected a positive number" });
const nonNegative = z
  .number({ error: "expected a number ≥ 0" })
  .nonnegative({ error: "expected a number ≥ 0" });
const oneOf = (values: readonly string[]) => ({ error: `expected one of ${values.join(", ")}` });

const reminders = z.strictObject({
  fractions: z
    .array(
      z
        .number()
        .gt(0, { error: "expected a share between 0 and 1" })
        .lt(1, { error: "expected a share between 0 and 1" }),
    )
    .default([]),
  beforeEndMinutes: z.array(positive).default([]),
  note,
});

const stepRule = z
  .strictObject({
    actor: z.enum(ACTORS, oneOf(ACTORS)),
    anchor: z.enum(ANCHORS, oneOf(ANCHORS)),
    /** Used when the anchor's event is unknown (e.g. the post's own date was not recorded). */
    fallbackAnchor: z.enum(ANCHORS, oneOf(ANCHORS)).optional(),
    duration: positive.optional(),
    unit: z.enum(DURATION_UNITS, oneOf(DURATION_UNITS)).optional(),
    /** For day units: "sameTime" adds whole days; "endOfLastDay" counts from the next day to the end of the last one. */
    dayCounting: z
      .enum(["sameTime", "endOfLastDay"], oneOf(["sameTime", "endOfLastDay"]))
      .default("sameTime"),
    /** "N hours before another step's deadline" (Orenburg p.9). */
    before: z
      .strictObject({
        step: z.enum(STEP_IDS, oneOf(STEP_IDS)),
        duration: nonNegative,
        unit: z.enum(["workingMinutes", "workingHours"], oneOf(["workingMinutes", "workingHours"])),
      })
      .optional(),
    /**
     * What meets the step: the answer's publication, or the submission of its draft to the curator
     * (Georgievsk p.15: the final answer's draft within 7 working days of the interim one).
     */
    metBy: z
      .enum(["publication", "draftSubmission"], oneOf(["publication", "draftSubmission"]))
      .default("publication"),
    /**
     * Whether the draft of a question to the author meets the step, as the answer's draft does
     * (Orenburg p.9: «проект ответа … или запрос (уточнение)»). False where the regulation names only
     * the answer's draft (Georgievsk p.11): once the question is out, the answer's draft is still due.
     * Absent, it meets it; left out of the parsed preset, so that the settings' fingerprint (app/sla.ts)
     * of a preset without it does not change.
     */
    metByQuestion: z.boolean({ error: "expected true or false" }).optional(),
    curatorMayShorten: z.boolean({ error: "expected true or false" }).default(false),
    /**
     * Stopping the clock while the author is asked is not supported yet (neither regulation does it):
     * a preset asking for it is refused at start rather than silently not paused.
     */
    pausesForClarification: z
      .literal(false, {
        error: "pausing a deadline while the author is asked is not supported yet; leave it out",
      })
      // Kept in the parsed preset as before: the settings' fingerprint (app/sla.ts) does not change.
      .default(false),
    reminders: reminders.default({ fractions: [], beforeEndMinutes: [] }),
    clause,
    note,
  })
  .superRefine((rule, ctx) => {
    if (rule.before && (rule.duration !== undefined || rule.unit !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["before"],
        message: "expected either before or duration + unit, not both",
      });
    }
    if (!rule.before && rule.duration === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        message: "expected a positive number (or a before rule)",
      });
    }
    if (!rule.before && rule.unit === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["unit"],
        message: `expected one of ${DURATION_UNITS.join(", ")}`,
      });
    }
    if (rule.duration !== undefined && rule.unit?.endsWith("Days") && !Number.isInteger(rule.duration)) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "expected a whole number of days" });
    }
  });

const optionalStep = stepRule.optional();

const recipient = z
  .string({ error: "expected a recipient's title" })
  .min(1, { error: "expected a recipient's title" });

export const regulationSchema = z.strictObject({
  id: z
    .string({ error: "expected a short id" })
    .regex(/^[a-z0-9-]+$/, { error: "expected a short id of a-z, 0-9, -" }),
  title: z.string({ error: "expected the regulation's title" }).min(1),
  timezone: z.string({ error: "expected an IANA time zone, e.g. Europe/Moscow" }),
  note,
  steps: z.strictObject({
    routing: stepRule,
    return: optionalStep,
    draft: optionalStep,
    decision: optionalStep,
    rework: optionalStep,
    publication: optionalStep,
    answer: stepRule,
    coexecutorPart: optionalStep,
    coexecutorPassOn: optionalStep,
    coexecutorRework: optionalStep,
    finalAfterInterim: optionalStep,
  }),
  curatorMayPublish: z.strictObject({ value: z.boolean({ error: "expected true or false" }), clause, note }),
  /**
   * The curator sets the order in which co-executors prepare their information (Orenburg p.14): with
   * `value` true he may send it to them one after another, each getting the post once the one
   * before has given its part. Absent: all co-executors get the post at once.
   */
  coexecutorsInOrder: z
    .strictObject({ value: z.boolean({ error: "expected true or false" }), clause, note })
    .optional(),
  /**
   * What the curator names about a post when routing it (Orenburg p.6: «указывает тему (группу тем),
   * локацию»): the curators' card asks for what is still missing. Absent: nothing is asked.
   */
  routingDetails: z
    .strictObject({
      fields: z.array(z.enum(["topic", "place"], oneOf(["topic", "place"]))).min(1),
      clause,
      note,
    })
    .optional(),
  toxic: z.strictObject({
    noAnswer: z.boolean({ error: "expected true or false" }),
    forwardThreats: z.boolean({ error: "expected true or false" }),
    threatsRecipient: recipient.optional(),
    /** The body whose curators send the threats on, as the message to the competent bodies names it. */
    threatsSender: recipient.optional(),
    clause,
    note,
  }),
  significantRecipients: z.strictObject({
    recipients: z.array(recipient).min(1),
    /**
     * The importance levels reported at once (Orenburg p.21: socially significant posts; Georgievsk
     * p.24 also posts «по вопросам, требующим оперативного решения», which a curator marks «Важное»).
     */
    importance: z
      .array(z.enum(["important", "significant"], oneOf(["important", "significant"])))
      .min(1)
      .default(["significant"]),
    clause,
    note,
  }),
  // Absent where the regulation asks for no summary (Georgievsk): the product's own report.
  monthlySummary: z.strictObject({ recipient: recipient.optional(), clause: clause.optional(), note }),
  violationsReport: z.strictObject({
    recipients: z.array(recipient).min(1),
    day: z
      .number({ error: "expected a day of the month 1-28 or null" })
      .int()
      .min(1, { error: "expected a day of the month 1-28 or null" })
      .max(28, { error: "expected a day of the month 1-28 or null" })
      .nullable(),
    clause,
    note,
  }),
  repeatWindow: z.strictObject({ days: positive, clause, note }),
  surge: z.strictObject({ posts: positive, windowHours: positive, clause, note }),
  /**
   * Who hears when a deadline is long past: each level after so many working minutes of delay.
   * Optional for region presets; the built-in ones set product defaults.
   */
  escalation: z
    .strictObject({
      // Kept in order of delay, however a preset lists them: the sweep takes the last one reached.
      levels: z
        .array(
          z.strictObject({
            afterWorkingMinutes: positive,
            to: z.enum(["curators", "heads"], { error: "expected curators or heads" }),
          }),
        )
        .transform((levels) => [...levels].sort((a, b) => a.afterWorkingMinutes - b.afterWorkingMinutes)),
      clause,
      note,
    })
    .default({ levels: [], clause: "—" }),
});

export type StepId = (typeof STEP_IDS)[number];
export type Anchor = (typeof ANCHORS)[number];
export type DurationUnit = (typeof DURATION_UNITS)[number];
export type Actor = (typeof ACTORS)[number];
export type StepRule = z.infer<typeof stepRule>;
export type Regulation = z.infer<typeof regulationSchema>;
