import { describe, expect, it } from "vitest";
import { FollowState, ProblemError } from "../src/index.js";
import { ProgressThrottle } from "../src/worker/index.js";

const progress = (seq: number) => JSON.stringify({ type: "job_progress", job_id: "j", progress: seq, message: "m", stage: "s", seq });
const status = (seq: number, value: string) => JSON.stringify({ type: "job_status", job_id: "j", status: { job_id: "j", status: value }, seq });

describe("FollowState", () => {
  it("should resume after the last sequence seen and drop repeats", () => {
    const state = new FollowState("j", undefined, true);
    expect(JSON.parse(state.subscribeMessage())).toEqual({ subscribe: "j" });

    expect(state.accept(progress(3))?.seq).toBe(3);
    expect(state.accept(progress(3))).toBeUndefined();
    expect(state.accept(progress(2))).toBeUndefined();

    expect(JSON.parse(state.subscribeMessage())).toEqual({ subscribe: "j", after: 3 });
  });

  it("should ignore control messages and other jobs' updates", () => {
    const state = new FollowState("j", 0, true);
    expect(state.accept(JSON.stringify({ type: "subscribed", job_id: "j" }))).toBeUndefined();
    expect(state.accept(JSON.stringify({ type: "job_progress", job_id: "other", seq: 9 }))).toBeUndefined();
    expect(state.lastSeq).toBe(0);
  });

  it("should finish at a final status only when following until finished", () => {
    const until = new FollowState("j", undefined, true);
    until.accept(status(4, "running"));
    expect(until.finished).toBe(false);
    until.accept(status(5, "cancelled"));
    expect(until.finished).toBe(true);

    const forever = new FollowState("j", undefined, false);
    forever.accept(status(5, "failed"));
    expect(forever.finished).toBe(false);
  });

  it("should turn an unknown job into a 404 ProblemError", () => {
    const state = new FollowState("j", undefined, true);
    expect(() => state.accept(JSON.stringify({ type: "error", message: "Unknown job: j" })))
      .toThrowError(ProblemError);
  });
});

describe("ProgressThrottle", () => {
  it("should send a heartbeat an interval after the last call, sooner for progress, at once for a jump", () => {
    const throttle = new ProgressThrottle(5000, 0);
    expect(throttle.dueAt()).toBe(5000);

    throttle.offer(0.05, "first");
    expect(throttle.dueAt()).toBe(-Infinity); // the first progress goes at once
    expect(throttle.take(100)).toEqual({ progress: 0.05, message: "first" });

    throttle.offer(0.08, undefined);
    expect(throttle.dueAt()).toBe(1100); // a small step waits for the minimum gap
    throttle.offer(0.3, undefined);
    expect(throttle.dueAt()).toBe(-Infinity); // a jump of 0.1 or more goes at once

    throttle.renewed(2000);
    throttle.take(2000);
    expect(throttle.dueAt()).toBe(7000);
  });
});
