/**
 * root_fs → container image. Diego's docker URIs put the registry in the URI
 * host and the tag in the fragment (seed: "docker:///docker-org/docker-image#docker-tag",
 * "docker://index.myregistry.gov/docker-org/docker-image#docker-tag"); a
 * Kubernetes image reference is `[host/]repository[:tag|@digest]`.
 */

/** Docker Hub's key in a dockerconfigjson, as `docker login` writes it. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/'

export interface DockerReference { host: string, repository: string, tag?: string, digest?: string }

/** Splits a docker root_fs; undefined for anything else (validation has already checked the grammar). */
export function parseDockerRootFs (rootFs: string): DockerReference | undefined {
  const m = /^docker:\/\/([^/#]*)\/([^#]+)(?:#(.+))?$/.exec(rootFs)
  if (!m) return undefined
  const [, host, repository, ref] = m
  if (ref === undefined) return { host, repository }
  return ref.startsWith('sha256:') ? { host, repository, digest: ref } : { host, repository, tag: ref }
}

export function imageReference (ref: DockerReference): string {
  const name = ref.host ? `${ref.host}/${ref.repository}` : ref.repository
  if (ref.digest) return `${name}@${ref.digest}`
  return ref.tag ? `${name}:${ref.tag}` : name
}

export type ImageLookup = { image: string } | { error: string }

/**
 * The image a task runs in. `preloaded:NAME` has no meaning on Kubernetes (no
 * rootfs sits on the nodes), so operators map names to images; an unmapped
 * name is refused at desire time rather than failing on a node.
 */
export function imageFor (rootFs: string, preloaded: Readonly<Record<string, string>>): ImageLookup {
  if (rootFs.startsWith('preloaded:')) {
    const name = rootFs.slice('preloaded:'.length)
    const image = Object.hasOwn(preloaded, name) ? preloaded[name] : undefined
    if (image) return { image }
    const known = Object.keys(preloaded)
    return {
      error: `preloaded root filesystem "${name}" is not configured on this server` +
        (known.length ? ` (configured: ${known.join(', ')})` : ' (TASKBBS_K8S_PRELOADED_IMAGES maps none)') +
        '; use a docker:// root_fs'
    }
  }
  const ref = parseDockerRootFs(rootFs)
  if (!ref) return { error: 'must be "preloaded:NAME" or a docker URI such as "docker:///org/image#tag"' }
  return { image: imageReference(ref) }
}

/**
 * The `.dockerconfigjson` of a kubernetes.io/dockerconfigjson Secret holding
 * image_username/image_password for the root_fs registry. Preloaded images
 * and Docker Hub URIs authenticate against Docker Hub.
 */
export function dockerConfigJson (rootFs: string, username: string, password: string): string {
  const host = parseDockerRootFs(rootFs)?.host ?? ''
  const key = host === '' || host === 'docker.io' || host === 'index.docker.io' ? DOCKER_HUB_AUTH_KEY : host
  const auth = Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
  return JSON.stringify({ auths: { [key]: { username, password, auth } } })
}
