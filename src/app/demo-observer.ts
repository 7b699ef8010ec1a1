/** A step of the demo starting. */
export interface DemoStepStart {
  /** Event type. */
  type: 'step-start';
  /** Short name of the step, e.g. `simulate`. */
  step: string;
  /** What the step does, for progress lines. */
  label: string;
  /** 1-based index of the step. */
  index: number;
  /** Number of steps. */
  total: number;
}

/** A step of the demo finished. */
export interface DemoStepEnd {
  /** Event type. */
  type: 'step-end';
  /** Short name of the step. */
  step: string;
  /** 1-based index of the step. */
  index: number;
  /** Number of steps. */
  total: number;
  /** Wall time of the step, milliseconds. */
  elapsedMs: number;
}

/** Events the demo reports while it runs. */
export type DemoEvent = DemoStepStart | DemoStepEnd;

/** Receives demo progress; the demo never draws anything itself. */
export interface DemoObserver {
  /** Called for every event, in order. */
  onEvent?: (event: DemoEvent) => void;
}
