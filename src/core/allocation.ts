import { z } from 'zod';

/** A transfer from the principal to a worker (negative for a penalty). */
export const PaymentSchema = z.object({
  /** Who is paid. */
  workerId: z.string().min(1),
  /** Amount in the mechanism's currency; negative when the worker pays a penalty. */
  amount: z.number(),
  /** Why, e.g. `award`, `reserve`, `failure-penalty`. */
  reason: z.string(),
});

/** A transfer from the principal to a worker (negative for a penalty). */
export type Payment = z.infer<typeof PaymentSchema>;

/** A mechanism's decision for one task in one round. */
export const AllocationSchema = z.object({
  /** The task allocated. */
  taskId: z.string().min(1),
  /** The mechanism's name. */
  mechanism: z.string().min(1),
  /** 1-based round of the multi-round driver. */
  round: z.number().int().positive().default(1),
  /** Workers assigned to attempt the task this round; empty when the principal abstains. */
  workerIds: z.array(z.string()),
  /** Payments promised by the mechanism on this allocation. */
  payments: z.array(PaymentSchema).default([]),
  /** Per-worker scores or other explanation of the decision. */
  detail: z.record(z.string(), z.unknown()).default({}),
});

/** A mechanism's decision for one task in one round. */
export type Allocation = z.infer<typeof AllocationSchema>;
