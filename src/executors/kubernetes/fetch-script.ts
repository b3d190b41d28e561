/**
 * The init container that performs a download action, a cached dependency or
 * an image layer: fetch with curl into the pod's shared emptyDir, verify the
 * checksum, extract. Every value reaches the script as an environment
 * variable, never as shell text (checksums and URLs are client data; see
 * domain/common.ts). A failure is written to /dev/termination-log, the
 * container's default termination message, so the task's failure_reason
 * says what went wrong rather than only an exit status.
 */

/** Where fetch containers see the shared volume; each destination is one subdirectory of it. */
export const FETCH_ROOT = '/taskbbs-fetch'
export const FETCH_VOLUME = 'taskbbs-fetch'

export type ArchiveKind = 'auto' | 'tgz' | 'tar' | 'zip'

export interface FetchSpec {
  url: string
  /** Subdirectory of the shared volume. */
  slot: string
  kind: ArchiveKind
  /** md5sum, sha1sum, sha256sum or sha512sum. */
  checksumTool?: string
  checksumValue?: string
}

const TOOLS: Record<string, string> = { md5: 'md5sum', sha1: 'sha1sum', sha256: 'sha256sum', sha512: 'sha512sum' }

export function checksumTool (algorithm: string | undefined): string | undefined {
  return algorithm ? TOOLS[algorithm.toLowerCase()] : undefined
}

// `auto` (download actions and cached dependencies) extracts what looks like
// a gzip, zip or tar archive and keeps any other file under its URL's name,
// as the local executor and Diego's downloader do. The tool name is one of
// four fixed strings chosen above, never client text.
export const FETCH_SCRIPT = `set -eu
umask 0000
fail() { printf '%s\\n' "$1" >&2; printf '%s' "$1" > "\${TASKBBS_FETCH_MESSAGE_FILE:-/dev/termination-log}" 2>/dev/null || true; exit 1; }
dest="$TASKBBS_FETCH_DEST"
mkdir -p "$dest"
tmp="$(mktemp)"
curl -fsSL --retry 3 --connect-timeout 30 -o "$tmp" "$TASKBBS_FETCH_URL" 2>"$tmp.err" || fail "fetching $TASKBBS_FETCH_URL failed: $(tail -c 512 "$tmp.err")"
if [ -n "\${TASKBBS_FETCH_CHECKSUM_TOOL:-}" ]; then
  actual="$("$TASKBBS_FETCH_CHECKSUM_TOOL" "$tmp" | cut -d' ' -f1)"
  expected="$(printf '%s' "$TASKBBS_FETCH_CHECKSUM_VALUE" | tr 'A-F' 'a-f')"
  [ "$actual" = "$expected" ] || fail "checksum mismatch for $TASKBBS_FETCH_URL: \${TASKBBS_FETCH_CHECKSUM_TOOL%sum} is $actual, expected $TASKBBS_FETCH_CHECKSUM_VALUE"
fi
kind="$TASKBBS_FETCH_KIND"
if [ "$kind" = auto ]; then
  magic="$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \\n')"
  case "$magic" in
    1f8b*) kind=tgz ;;
    504b0304) kind=zip ;;
    *) if tar -tf "$tmp" >/dev/null 2>&1; then kind=tar; else kind=file; fi ;;
  esac
fi
case "$kind" in
  tgz) tar -xzf "$tmp" -C "$dest" || fail "extracting $TASKBBS_FETCH_URL (tgz) failed" ;;
  tar) tar -xf "$tmp" -C "$dest" || fail "extracting $TASKBBS_FETCH_URL (tar) failed" ;;
  zip) unzip -o -q "$tmp" -d "$dest" || fail "extracting $TASKBBS_FETCH_URL (zip) failed" ;;
  file) mv "$tmp" "$dest/$TASKBBS_FETCH_FILE_NAME" ;;
esac
rm -f "$tmp" "$tmp.err"
`

/** The name a plain (non-archive) download is saved under: the last URL path segment. */
export function fileName (url: string): string {
  let last = new URL(url).pathname.split('/').pop() ?? ''
  try { last = decodeURIComponent(last) } catch {}
  last = last.replace(/[/\0]/g, '')
  return last === '' || last === '.' || last === '..' ? 'download' : last
}

/** The environment of one fetch container. */
export function fetchEnv (spec: FetchSpec): Array<{ name: string, value: string }> {
  const env = [
    { name: 'TASKBBS_FETCH_URL', value: spec.url },
    { name: 'TASKBBS_FETCH_DEST', value: `${FETCH_ROOT}/${spec.slot}` },
    { name: 'TASKBBS_FETCH_KIND', value: spec.kind },
    { name: 'TASKBBS_FETCH_FILE_NAME', value: fileName(spec.url) }
  ]
  if (spec.checksumTool && spec.checksumValue) {
    env.push({ name: 'TASKBBS_FETCH_CHECKSUM_TOOL', value: spec.checksumTool }, { name: 'TASKBBS_FETCH_CHECKSUM_VALUE', value: spec.checksumValue })
  }
  return env
}
