import type {
  Blob as SdkBlob,
  FileData,
  FinishReason,
  FunctionCall,
  FunctionCallingConfigMode,
  GenerateContentResponseUsageMetadata
} from '@google/genai'

/** A `finishReason` as it appears on the wire (the SDK's enum values as plain strings). */
export type WireFinishReason = `${FinishReason}`

/** A function calling mode on the wire. */
export type WireFunctionCallingMode = `${FunctionCallingConfigMode}`

/** `functionResponse` as Cuttle sends it: `response` is always a JSON object (§4 case 15). */
export interface WireFunctionResponse {
  id?: string
  name: string
  response: Record<string, unknown>
}

/** The parts Cuttle writes; any of them may carry a `thoughtSignature`. */
export interface WirePart {
  text?: string
  thought?: boolean
  thoughtSignature?: string
  inlineData?: Required<Pick<SdkBlob, 'mimeType' | 'data'>>
  fileData?: Required<Pick<FileData, 'mimeType' | 'fileUri'>>
  functionCall?: Pick<FunctionCall, 'id' | 'name' | 'args'>
  functionResponse?: WireFunctionResponse
}

/** One turn of `contents`. */
export interface WireContent {
  role: 'user' | 'model'
  parts: WirePart[]
}

/** A declaration inside `tools[].functionDeclarations`. */
export interface WireFunctionDeclaration {
  name: string
  description?: string
  parameters: Record<string, unknown>
}

/** `usageMetadata` as Cuttle writes it. */
export type WireUsageMetadata = Required<
  Pick<GenerateContentResponseUsageMetadata, 'promptTokenCount' | 'candidatesTokenCount' | 'totalTokenCount'>
> &
  Pick<GenerateContentResponseUsageMetadata, 'cachedContentTokenCount' | 'thoughtsTokenCount'>

/** One candidate of a response Cuttle writes. */
export interface WireCandidate {
  content: { role: 'model'; parts: WirePart[] }
  finishReason?: WireFinishReason
  index: number
}

/** A GenerateContentResponse (body or stream chunk) as Cuttle writes it. */
export interface WireResponse {
  candidates: WireCandidate[]
  usageMetadata?: WireUsageMetadata
  modelVersion: string
  responseId: string
}

/** Gemini's error body: `{ error: { code, message, status } }` (google.rpc.Status). */
export interface WireError {
  error: { code: number; message: string; status: string }
}
