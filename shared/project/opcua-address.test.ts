import { describe, expect, it } from 'vitest';
import { parseOpcuaAddress } from './opcua-address.js';

describe('parseOpcuaAddress', () => {
  it.each([
    ['ns=1;s=Boiler.Temperature', { nodeId: 'ns=1;s=Boiler.Temperature', samplingMs: null }],
    ['ns=1;s=Boiler.Temperature?samplingMs=250', { nodeId: 'ns=1;s=Boiler.Temperature', samplingMs: 250 }],
    ['i=2258', { nodeId: 'i=2258', samplingMs: null }],
    ['ns=2;i=42?samplingMs=0', { nodeId: 'ns=2;i=42', samplingMs: 0 }],
    ['nsu=urn:plant:boiler;s=Level', { nodeId: 'nsu=urn:plant:boiler;s=Level', samplingMs: null }],
    ['ns=3;g=72962b91-fa75-4ae6-8d28-b404dc7daf63', { nodeId: 'ns=3;g=72962b91-fa75-4ae6-8d28-b404dc7daf63', samplingMs: null }],
    ['ns=1;b=M/RbKBsRVkePCePcx24oRA==', { nodeId: 'ns=1;b=M/RbKBsRVkePCePcx24oRA==', samplingMs: null }],
    ['ns=1;s=Line 1;Speed', { nodeId: 'ns=1;s=Line 1;Speed', samplingMs: null }],
    ['ns=1;s=Why??', { nodeId: 'ns=1;s=Why?', samplingMs: null }],
  ])('reads %s', (text, expected) => {
    expect(parseOpcuaAddress(text)).toEqual(expected);
  });

  it.each([
    ['', 'has no node id'],
    ['?samplingMs=100', 'has no node id before "?"'],
    ['ns=1;x=Boiler', 'node id "x=Boiler" in "ns=1;x=Boiler" must start with i=, s=, g= or b='],
    ['Boiler.Temperature', 'node id "Boiler.Temperature" in "Boiler.Temperature" must start with i=, s=, g= or b='],
    ['ns=one;s=Boiler', 'namespace "ns=one" in "ns=one;s=Boiler" must be "ns=<index>" or "nsu=<uri>"'],
    ['ns=70000;i=1', 'namespace index 70000 in "ns=70000;i=1" must be from 0 to 65535'],
    ['nsu=;i=1', 'the namespace URI after "nsu=" in "nsu=;i=1" is empty'],
    ['ns=1;i=-5', 'numeric identifier "-5" in "ns=1;i=-5" must be a whole number'],
    ['ns=1;s=', 'the string identifier after "s=" in "ns=1;s=" is empty'],
    ['ns=1;g=not-a-guid', 'GUID identifier "not-a-guid"'],
    ['ns=1;b=%%', 'opaque identifier "%%" in "ns=1;b=%%" must be base64'],
    ['ns=1;s=Boiler?sampling=100', 'unknown parameter "sampling" in "ns=1;s=Boiler?sampling=100"; use samplingMs'],
    ['ns=1;s=Boiler?samplingMs=fast', 'samplingMs "fast" in "ns=1;s=Boiler?samplingMs=fast" must be a whole number of milliseconds'],
    ['ns=1;s=Boiler?samplingMs=4000000', 'samplingMs "4000000"'],
  ])('names the wrong part of %j', (text, message) => {
    const result = parseOpcuaAddress(text);
    expect(typeof result).toBe('string');
    expect(result).toContain(message);
  });
});
