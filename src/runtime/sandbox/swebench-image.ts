/** Options of `swebenchImageName`. */
export interface SwebenchImageOptions {
  /** Registry namespace; null for images built locally by the harness (default `swebench`). */
  namespace?: string | null;
  /** `x86_64` (default) or `arm64`. */
  arch?: string;
  /** Image tag (default `latest`). */
  tag?: string;
}

/**
 * The SWE-bench instance image for an instance id, named as the official harness does
 * (`TestSpec.instance_image_key`): `sweb.eval.<arch>.<id lower-cased>:<tag>`, and for a remote
 * namespace `<namespace>/` in front with every `__` replaced by `_1776_` (Docker Hub forbids `__`),
 * e.g. `swebench/sweb.eval.x86_64.django_1776_django-11099:latest`.
 */
export function swebenchImageName(instanceId: string, options: SwebenchImageOptions = {}): string {
  const key = `sweb.eval.${options.arch ?? 'x86_64'}.${instanceId.toLowerCase()}:${options.tag ?? 'latest'}`;
  const namespace = options.namespace === undefined ? 'swebench' : options.namespace;
  if (namespace === null) return key;
  return `${namespace}/${key}`.replaceAll('__', '_1776_');
}
