/**
 * Simulated time. `speed` simulated seconds pass per real second, and tests may jump ahead with
 * `advance()`. Everything time-driven in the sandbox (deployment growth, bake, metric periods, alarm
 * evaluation, scenarios) reads this clock, so a 15-minute bake takes 15 real seconds at speed 60.
 */
export class SimClock {
  private baseSim: number;
  private baseReal: number;
  private speedFactor: number;

  constructor(options: { start?: number; speed?: number; realNow?: () => number } = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.baseReal = this.realNow();
    this.baseSim = options.start ?? this.baseReal;
    this.speedFactor = options.speed ?? 1;
  }

  private readonly realNow: () => number;

  /** Simulated epoch milliseconds. */
  now(): number {
    return Math.floor(this.baseSim + (this.realNow() - this.baseReal) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  setSpeed(speed: number): void {
    this.rebase();
    this.speedFactor = speed;
  }

  /** Jump simulated time forward. */
  advance(ms: number): void {
    this.rebase();
    this.baseSim += ms;
  }

  /** Continue from a saved simulated instant (after a restart). */
  resumeAt(simNow: number): void {
    this.baseReal = this.realNow();
    this.baseSim = simNow;
  }

  /**
   * The clock seam of every process that runs flagops on this timeline (workflow jobs, the demo's
   * CLI calls, a shell that evaluated `flagops sandbox`'s exports): the speed, and a real instant
   * paired with the simulated one, from which flagops' own clock runs (src/pipeline/clock.ts). The
   * AWS retry backoff is shortened by the speed too, so a throttled call does not stall the story.
   * Valid until the clock is moved or its speed changed; ask again after that.
   */
  processEnv(): Record<
    'FLAGOPS_CLOCK_SPEED' | 'FLAGOPS_CLOCK_ORIGIN' | 'FLAGOPS_AWS_RETRY_BASE_DELAY_MS',
    string
  > {
    const real = Date.now();
    const sim = Math.floor(this.baseSim + (real - this.baseReal) * this.speedFactor);
    return {
      FLAGOPS_CLOCK_SPEED: String(this.speedFactor),
      FLAGOPS_CLOCK_ORIGIN: `${real}:${sim}`,
      FLAGOPS_AWS_RETRY_BASE_DELAY_MS: String(100 / Math.max(this.speedFactor, 1)),
    };
  }

  private rebase(): void {
    const real = this.realNow();
    this.baseSim = this.baseSim + (real - this.baseReal) * this.speedFactor;
    this.baseReal = real;
  }
}
