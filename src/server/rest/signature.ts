// Checks the POST /session.json signature with the shared signer (spec §2.1), so client and server
// cannot drift apart. The algorithm is told by the length: 40 hex digits SHA-1, 64 SHA-256.
import { signSessionParams, type SignatureAlgorithm, type SignatureParams } from '../../shared/signature';
import { sameSecret } from './auth';
import { isPlainObject, type Params } from './params';

export function signatureMatches(params: Params, signature: string, authSecret: string): boolean {
  const algorithm = algorithmFor(signature);
  if (!algorithm) return false;
  return sameSecret(signature.toLowerCase(), signSessionParams(toSignatureParams(params), authSecret, algorithm));
}

function algorithmFor(signature: string): SignatureAlgorithm | undefined {
  if (/^[0-9a-f]{40}$/i.test(signature)) return 'sha1';
  if (/^[0-9a-f]{64}$/i.test(signature)) return 'sha256';
  return undefined;
}

/** Values as the client saw them before encoding: scalars as text, one level of sub-keys. */
function toSignatureParams(params: Params): SignatureParams {
  const result: SignatureParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (isPlainObject(value)) {
      const group: Record<string, string> = {};
      for (const [sub, v] of Object.entries(value)) if (v !== undefined && v !== null) group[sub] = String(v);
      result[name] = group;
    } else {
      result[name] = String(value);
    }
  }
  return result;
}
