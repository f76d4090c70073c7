/** Runs one attempt: its stages from `first_stage` on, heartbeats beside them, and the outcome reported. */
import { AttemptStoppedError, FatalError, ProblemError } from "../errors.js";
import type { Attempt, Logger } from "./attempt.js";
import { StageContext } from "./context.js";
import type { JobTypeDefinition } from "./job-type.js";
import { stageFunction } from "./job-type.js";

const MAX_ERROR_CHARS = 4000;

export async function runAttempt(attempt: Attempt, jobType: JobTypeDefinition<any> | undefined, workerId: string,
  log: Logger): Promise<void> {
  attempt.startHeartbeats();
  try {
    await runStages(attempt, jobType, workerId);
  } catch (error) {
    if (attempt.ended) {
      log.info(`${attempt}: stopped (${attempt.ended.reason})`);
    } else if (error instanceof AttemptStoppedError) {
      log.info(`${attempt}: stopped (${error.reason})`);
    } else if (error instanceof FatalError) {
      await fail(attempt, error.message || "FatalError", false, log);
    } else {
      log.warn(`${attempt}: stage ${attempt.stage} failed: ${String(error)}`);
      await fail(attempt, describe(error), true, log);
    }
  } finally {
    attempt.end(new AttemptStoppedError("done"));
  }
}

async function runStages(attempt: Attempt, jobType: JobTypeDefinition<any> | undefined, workerId: string): Promise<void> {
  if (!jobType) throw new Error(`This worker does not run job type ${attempt.task.type}`);
  let checkpoint: unknown = attempt.task.checkpoint ?? null;
  for (let number = attempt.task.first_stage || 1; number <= attempt.stages.length; number++) {
    const name = attempt.stages[number - 1]!;
    const run = stageFunction(jobType, name);
    if (!run) {
      throw new FatalError(`This worker's ${attempt.task.type} has no stage ${name}; the job was submitted with version `
        + `${attempt.task.type_version} of the type`);
    }
    attempt.check();
    const ctx = new StageContext(attempt, { number, name }, checkpoint, workerId);
    let value = await run(ctx);
    attempt.check(); // a stage that ignored its signal: its value is not reported
    if (value === undefined) value = null;
    requireJson(value, name);
    try {
      if (number < attempt.stages.length) await attempt.completeStage(number, value);
      else await attempt.complete(value);
    } catch (refused) {
      if (refused instanceof ProblemError && [400, 413, 422].includes(refused.status)) {
        throw new FatalError(`The server refused what stage ${name} returned: ${refused.message}`);
      }
      throw refused;
    }
    checkpoint = value;
  }
}

function requireJson(value: unknown, stage: string): void {
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new FatalError(`Stage ${stage} returned a value that is not JSON (${String(error)})`);
  }
}

async function fail(attempt: Attempt, error: string, retryable: boolean, log: Logger): Promise<void> {
  try {
    const answer = await attempt.fail(error, retryable);
    log.info(`${attempt}: failed (${retryable ? "retryable" : "fatal"}); the job is ${String(answer.status)}`);
  } catch (stopped) {
    if (stopped instanceof AttemptStoppedError) log.info(`${attempt}: not reporting the failure (${stopped.reason})`);
    else log.warn(`${attempt}: could not report the failure: ${String(stopped)}`); // its lease expires; it is retried
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}\n${(error.stack ?? "").split("\n").slice(1, 4).join("\n")}`
    : String(error);
  return text.slice(0, MAX_ERROR_CHARS);
}
