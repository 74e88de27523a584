import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@imcluster/common';
import { loadCometConfig } from '../src/config.ts';

describe('comet public addresses', () => {
  it('are taken from the settings, and malformed ones are refused', () => {
    const config = loadCometConfig({ IM_COMET_PUBLIC_TCP: 'lb.example.com:3101', IM_COMET_PUBLIC_WS_URL: 'wss://im.example.com/sub' });
    assert.equal(config.publicTcp, 'lb.example.com:3101');
    assert.equal(config.publicWsUrl, 'wss://im.example.com/sub');
    assert.equal(loadCometConfig({}).publicWsUrl, undefined);
    assert.throws(() => loadCometConfig({ IM_COMET_PUBLIC_WS_URL: 'https://im.example.com/sub' }), ConfigError);
    assert.throws(() => loadCometConfig({ IM_COMET_PUBLIC_TCP: 'lb.example.com' }), ConfigError);
  });
});
