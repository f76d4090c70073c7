/** A job type a worker runs: its stages as functions, in order, and what to declare about it. */
import type { JobOptions, JobTypeDeclaration } from "../types.js";
import type { StageContext } from "./context.js";

/** A stage: gets the context, answers the checkpoint handed to the next stage (the last one's: the job's result). */
export type StageFunction<Input = Record<string, unknown>> = (ctx: StageContext<Input>) => unknown | Promise<unknown>;

export interface JobTypeDefinition<Input = Record<string, unknown>> {
  /** The stages in order: an object (its keys' order) or a list of `[name, function]`. */
  stages: Record<string, StageFunction<Input>> | ReadonlyArray<readonly [string, StageFunction<Input>]>;
  description?: string;
  input_schema?: Record<string, unknown>;
  options?: JobOptions;
  dedup_key?: string;
  concurrency_limit?: number;
  /** `PUT /api/job-types/{name}` when the worker starts (default true); false for a type declared elsewhere. */
  declare?: boolean;
}

export function stageNames(definition: JobTypeDefinition<any>): string[] {
  return Array.isArray(definition.stages) ? definition.stages.map(([name]) => name)
    : Object.keys(definition.stages);
}

export function stageFunction(definition: JobTypeDefinition<any>, name: string): StageFunction<any> | undefined {
  if (Array.isArray(definition.stages)) return definition.stages.find(([stage]) => stage === name)?.[1];
  const stages = definition.stages as Record<string, StageFunction<any>>;
  return Object.prototype.hasOwnProperty.call(stages, name) ? stages[name] : undefined;
}

export function declarationOf(definition: JobTypeDefinition<any>): JobTypeDeclaration {
  const body: JobTypeDeclaration = { stages: stageNames(definition) };
  if (definition.description !== undefined) body.description = definition.description;
  if (definition.input_schema !== undefined) body.input_schema = definition.input_schema;
  if (definition.options !== undefined) body.options = definition.options;
  if (definition.dedup_key !== undefined) body.dedup_key = definition.dedup_key;
  if (definition.concurrency_limit !== undefined) body.concurrency_limit = definition.concurrency_limit;
  return body;
}
