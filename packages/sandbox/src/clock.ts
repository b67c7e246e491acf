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

  private rebase(): void {
    const real = this.realNow();
    this.baseSim = this.baseSim + (real - this.baseReal) * this.speedFactor;
    this.baseReal = real;
  }
}
