/**
 * Why a voice note was refused before any model saw it. The caller answers politely and
 * charges nothing: no tokens were spent.
 */
export type AudioErrorKind =
  /** Longer than AUDIO_MAX_SECONDS. */
  | 'too_long'
  /** More bytes than AUDIO_MAX_BYTES. */
  | 'too_large'
  /** Not Ogg/Opus, or an Ogg stream carrying another codec (e.g. an attached MP3 or M4A). */
  | 'unsupported_format'
  /** Ogg/Opus that does not decode: corrupt, truncated, empty, or not audio at all. */
  | 'undecodable';

export interface AudioErrorInit {
  kind: AudioErrorKind;
  message: string;
  /** What was measured, when it was (seconds for too_long, bytes for too_large). */
  durationSeconds?: number;
  bytes?: number;
  /** too_long: the Ogg headers said so (nothing decoded) or the decoder found out. */
  detectedBy?: 'size' | 'header' | 'decoder';
  cause?: unknown;
}

export class AudioError extends Error {
  override name = 'AudioError';
  readonly kind: AudioErrorKind;
  readonly durationSeconds: number | undefined;
  readonly bytes: number | undefined;
  readonly detectedBy: AudioErrorInit['detectedBy'];

  constructor(init: AudioErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.durationSeconds = init.durationSeconds;
    this.bytes = init.bytes;
    this.detectedBy = init.detectedBy;
  }
}
