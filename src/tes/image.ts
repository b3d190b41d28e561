/**
 * A TES executor image (`ubuntu`, `ubuntu:24.04`, `quay.io/org/tool:1`,
 * `myregistryhost:5000/fedora/httpd:version1.0`, `org/tool@sha256:…`) as
 * Diego's docker root_fs: the registry in the URI host, the tag or digest in
 * the fragment (`docker://quay.io/org/tool#1`, `docker:///library/ubuntu#latest`).
 * Undefined when it is not an image reference.
 */
export function rootFsOfTesImage (image: string): string | undefined {
  let rest = image
  let ref = 'latest'
  const at = rest.indexOf('@')
  if (at >= 0) {
    ref = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!/^sha256:[0-9a-f]{64}$/.test(ref)) return undefined
  } else {
    const colon = rest.lastIndexOf(':')
    if (colon > rest.lastIndexOf('/')) { ref = rest.slice(colon + 1); rest = rest.slice(0, colon) }
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(ref)) return undefined
  }
  const slash = rest.indexOf('/')
  const first = slash < 0 ? '' : rest.slice(0, slash)
  // Docker's rule: the first part names a registry when it has a dot or a port, or is localhost.
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost'
  const host = hasRegistry ? first : ''
  let path = hasRegistry ? rest.slice(slash + 1) : rest
  if (!/^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(path)) return undefined
  if (host && !/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(host)) return undefined
  if (!host && !path.includes('/')) path = `library/${path}`
  return `docker://${host}/${path}#${ref}`
}
