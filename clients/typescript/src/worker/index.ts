export { Worker, MAX_POLL_WAIT_MS, type WorkerOptions } from "./worker.js";
export { StageContext, type StageRef } from "./context.js";
export type { JobTypeDefinition, StageFunction } from "./job-type.js";
export type { Task } from "./task.js";
export type { Logger } from "./attempt.js";
export { ProgressThrottle } from "./throttle.js";
export { AttemptStoppedError, FatalError, JobCancelledError, ProblemError } from "../errors.js";
