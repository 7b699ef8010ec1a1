import { describe, expect, it } from 'vitest';
import { swebenchImageName } from '../../src/runtime/sandbox/swebench-image.js';

describe('swebenchImageName', () => {
  it('follows the official harness: lower-cased id, namespace, __ → _1776_', () => {
    expect(swebenchImageName('django__django-11099')).toBe('swebench/sweb.eval.x86_64.django_1776_django-11099:latest');
    expect(swebenchImageName('Sphinx-Doc__Sphinx-8721', { arch: 'arm64', tag: 'v1' })).toBe(
      'swebench/sweb.eval.arm64.sphinx-doc_1776_sphinx-8721:v1',
    );
  });

  it('keeps __ for locally built images (no namespace)', () => {
    expect(swebenchImageName('astropy__astropy-12907', { namespace: null })).toBe('sweb.eval.x86_64.astropy__astropy-12907:latest');
  });
});
