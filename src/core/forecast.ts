import { z } from 'zod';
import { PlanSchema } from './plan.js';

/** How a forecast was elicited. */
export const TreatmentSchema = z.enum(['direct', 'card', 'bid', 'plans']);
/** How a forecast was elicited. */
export type Treatment = z.infer<typeof TreatmentSchema>;

/** A worker's pre-attempt self-report on one task. */
export const ForecastSchema = z.object({
  /** The task forecast. */
  taskId: z.string().min(1),
  /** The worker forecasting. */
  workerId: z.string().min(1),
  /** How it was elicited. */
  treatment: TreatmentSchema.default('direct'),
  /** Repeat index when the same question is asked several times. */
  repeat: z.number().int().nonnegative().default(0),
  /** Stated probability of solving the task in one attempt; null when invalid. */
  pSuccess: z.number().min(0).max(1).nullable(),
  /** Stated total tokens of a full attempt; null when missing or invalid. */
  expectedTokens: z.number().nonnegative().nullable(),
  /** Ask price in the principal's currency (treatment `bid`). */
  ask: z.number().nonnegative().nullable().default(null),
  /** Whether the reply parsed into an in-range forecast. */
  valid: z.boolean(),
  /** Why the forecast is invalid; null when valid. */
  invalidReason: z.string().nullable().default(null),
  /** The raw model reply, kept so figures can be recomputed. */
  rawText: z.string().nullable().default(null),
  /** Optional short rationale given by the worker. */
  rationale: z.string().nullable().default(null),
  /** The stated menu of production plans, sorted by budget (treatment `plans`, when valid); p and tokens above are its largest budget's. */
  menu: z.array(PlanSchema).optional(),
});

/** A worker's pre-attempt self-report on one task. */
export type Forecast = z.infer<typeof ForecastSchema>;
/** Input shape of a forecast (defaults not yet applied). */
export type ForecastInput = z.input<typeof ForecastSchema>;
