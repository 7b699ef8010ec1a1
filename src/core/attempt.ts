import { z } from 'zod';
import { OutcomeSchema } from './outcome.js';

/** One execution of a task by a worker. */
export const AttemptSchema = z.object({
  /** The task attempted. */
  taskId: z.string().min(1),
  /** The worker attempting. */
  workerId: z.string().min(1),
  /** The mechanism round (1-based) that assigned the attempt. */
  round: z.number().int().positive().default(1),
  /** How it ended. */
  outcome: OutcomeSchema,
});

/** One execution of a task by a worker. */
export type Attempt = z.infer<typeof AttemptSchema>;
