/** A patient's request to be called back, as staff see it on the dashboard. */
export interface CallbackRequest {
  id: string;
  callId: string;
  createdAt: Date;
  /** Deleted by the purge job after this, handled or not. */
  expiresAt: Date;
  callerHash: string;
  callerHint: string;
  topic: string | null;
  window: string | null;
  language: string;
}

/** With the number to dial: only for staff handling it, never logged, never over MQTT. */
export interface OpenCallback extends CallbackRequest {
  number: string;
}

export interface NewCallback {
  callId: string;
  /** The caller's number, normalised; stored sealed, never in clear. */
  number: string;
  callerHash: string;
  callerHint: string;
  topic: string | null;
  window: string | null;
  language: string;
  createdAtMs: number;
  retentionMs: number;
}

/** Callback requests: the only place the appliance keeps a number it can read back. */
export interface CallbackStore {
  add(request: NewCallback): CallbackRequest;
  /** Requests not yet expired, oldest first, with their numbers unsealed. */
  open(nowMs: number): OpenCallback[];
  /** Staff called back: the request (and the sealed number) is deleted and the deletion audited. */
  markHandled(id: string, actor: string, nowMs: number): boolean;
}
