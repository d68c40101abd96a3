export { TranscriptionModule, createTranscriptionClient } from './transcription.module';
export { VoiceNoteService, type TranscribeOptions } from './voice-note.service';
export {
  TranscriptionClient,
  readTranscriptCompletion,
  type TranscriptionBackend,
  type TranscriptionClientOptions,
  type TranscriptionRequest,
  type TranscriptionResult,
} from './transcription.client';
export { TranscriptionFailedError } from './transcription-error';
export { AudioError, type AudioErrorKind } from './audio-error';
export {
  prepareVoiceNote,
  TRANSCRIPTION_SAMPLE_RATE,
  type AudioLimits,
  type PreparedVoiceNote,
} from './prepare-voice-note';
export { decodeOggOpus, type DecodedAudio } from './decode-ogg-opus';
export { probeOggOpus, type OggOpusInfo } from './ogg-probe';
export { resample } from './resample';
export { encodeWav16 } from './wav';
export { cleanTranscript } from './transcript-text';
export {
  estimateTranscriptionTokens,
  transcriptMaxTokens,
  transcriptionPromptTokens,
  TRANSCRIPTION_INSTRUCTION,
  AUDIO_TOKENS_PER_SECOND,
} from './transcription-tokens';
export { transcriptionOptionsFromConfig, audioLimitsFromConfig } from './transcription-options';
