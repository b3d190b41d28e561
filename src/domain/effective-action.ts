import type { Action } from './action.ts'
import type { TaskDefinition } from './task-definition.ts'

type Download = NonNullable<Action['download']>

/**
 * A download as executors run it. An image layer's digest may be SHA512, which
 * Diego's download action cannot name (md5, sha1, sha256), so the tree that
 * executors run allows it where the API's tree does not.
 */
export type RunnableDownload = Omit<Download, 'checksum_algorithm'> & {
  checksum_algorithm?: Download['checksum_algorithm'] | 'sha512'
}

type Nested<T> = T extends { actions: Action[] } ? Omit<T, 'actions'> & { actions: RunnableAction[] }
  : T extends { action: Action } ? Omit<T, 'action'> & { action: RunnableAction }
    : T

/** Diego's action tree as executors run it: the API's tree, with RunnableDownload in place of downloads. */
export type RunnableAction = {
  [K in keyof Action]?: K extends 'download' ? RunnableDownload : Nested<NonNullable<Action[K]>>
}

export interface EffectiveActionOptions {
  /**
   * The `user` of the downloads made from cached_dependencies and image_layers
   * (they have none of their own; Diego uses its `legacy_download_user`).
   */
  downloadUser?: string
}

type Layer = NonNullable<TaskDefinition['image_layers']>[number]

/**
 * The action tree an executor runs for a task: the task's action, preceded by
 * the downloads Diego makes before it. Diego fetches cached_dependencies when it
 * creates the container, and BBS turns image layers into downloads for cells
 * that cannot mount them (models/image_layer.go): a SHARED layer becomes a
 * cached dependency keyed by its digest (or its URL when it has none), an
 * EXCLUSIVE layer a download checked against its digest. Here they are one
 * serial, in that order (cached dependencies, shared layers, exclusive layers,
 * each in the order given), so that the action sees every file, a failed
 * download fails the task before the action starts, and logs come in a defined
 * order.
 *
 * A layer's media_type (TGZ, TAR, ZIP) says how the archive at `url` is packed
 * and destination_path where it is unpacked. It is not carried: downloads
 * recognise tgz, tar and zip by their content, as Diego's cached downloader
 * does for the downloads BBS makes from layers.
 *
 * With neither list, the task's action is returned as it is.
 */
export function effectiveAction (def: Pick<TaskDefinition, 'action' | 'cached_dependencies' | 'image_layers'>, opts: EffectiveActionOptions = {}): RunnableAction {
  const user = opts.downloadUser ?? 'root'
  const downloads: RunnableAction[] = []
  for (const dep of def.cached_dependencies ?? []) {
    downloads.push({
      download: {
        from: dep.from,
        to: dep.to,
        cache_key: dep.cache_key,
        user,
        ...(dep.name ? { artifact: dep.name } : {}),
        ...(dep.checksum_algorithm !== undefined ? { checksum_algorithm: dep.checksum_algorithm } : {}),
        ...(dep.checksum_value !== undefined ? { checksum_value: dep.checksum_value } : {}),
        ...(dep.log_source ? { log_source: dep.log_source } : {})
      }
    })
  }
  const layers = def.image_layers ?? []
  for (const layer of layers.filter(l => l.layer_type === 'SHARED')) downloads.push({ download: layerDownload(layer, user) })
  for (const layer of layers.filter(l => l.layer_type === 'EXCLUSIVE')) downloads.push({ download: layerDownload(layer, user) })
  if (downloads.length === 0) return def.action
  return { serial: { actions: [...downloads, def.action] } }
}

function layerDownload (layer: Layer, user: string): RunnableDownload {
  const algorithm = layer.digest_algorithm === undefined ? undefined : layer.digest_algorithm === 'SHA256' ? 'sha256' : 'sha512'
  const digested = algorithm !== undefined && layer.digest_value !== undefined
  return {
    from: layer.url,
    to: layer.destination_path,
    // As BBS keys the cache: "<algorithm>:<digest>", or the URL for a shared layer without a digest.
    cache_key: digested ? `${algorithm}:${layer.digest_value}` : layer.url,
    user,
    ...(layer.name ? { artifact: layer.name } : {}),
    ...(digested ? { checksum_algorithm: algorithm, checksum_value: layer.digest_value } : {})
  }
}
