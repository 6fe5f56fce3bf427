// One line of `llm doctor`'s report, whichever machine or cluster it is about.

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  id: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export const check = (id: string, status: CheckStatus, message: string, fix?: string): CheckResult => ({ id, status, message, ...(fix ? { fix } : {}) });
