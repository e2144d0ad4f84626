// An OPC UA server for the driver tests and the benchmark, run as its own process:
//   node opcua-server.mjs <port> <generation> <pkiDir> [bulkCount] [bulkPeriodMs]
// Serves in namespace 1: fixed values of several types, a counter, writable setpoints and, for the
// benchmark, `bulkCount` Doubles that all change every `bulkPeriodMs`. Accepts anonymous sessions and
// the user "operator" / "secret", security none, sign and signAndEncrypt with Basic256Sha256.
// Prints "listening <port>" once clients can connect.
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { DataType, MessageSecurityMode, SecurityPolicy, StatusCodes } from 'node-opcua-client';
import { OPCUAServer } from 'node-opcua-server';

const [portText = '0', generationText = '1', pkiDir = '', bulkText = '0', bulkPeriodText = '100'] = process.argv.slice(2);
const generation = Number(generationText);
const bulkCount = Number(bulkText);
const bulkPeriodMs = Number(bulkPeriodText);
/** A fixed source time, so a test can tell the server's source timestamp from the local clock. */
const SOURCE_TIME = new Date('2024-03-01T12:00:00.000Z');

const server = new OPCUAServer({
  port: Number(portText),
  hostname: '127.0.0.1',
  resourcePath: '/tandem-test',
  serverCertificateManager: new OPCUACertificateManager({ rootFolder: `${pkiDir}/server`, automaticallyAcceptUnknownCertificate: true }),
  userCertificateManager: new OPCUACertificateManager({ rootFolder: `${pkiDir}/user`, automaticallyAcceptUnknownCertificate: true }),
  securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
  securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
  allowAnonymous: true,
  userManager: { isValidUser: (userName, password) => userName === 'operator' && password === 'secret' },
  buildInfo: { productName: 'tandem-opcua-test-server' },
});

await server.initialize();
const namespace = server.engine.addressSpace.getOwnNamespace();
const folder = namespace.addFolder(server.engine.addressSpace.rootFolder.objects, { browseName: 'Test' });

function variable(name, dataType, value, options = {}) {
  const node = namespace.addVariable({
    componentOf: folder,
    browseName: name,
    nodeId: `s=${name}`,
    dataType,
    accessLevel: options.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
    userAccessLevel: options.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
    minimumSamplingInterval: 0,
  });
  node.setValueFromSource({ dataType: DataType[dataType], value }, options.status ?? StatusCodes.Good, options.sourceTime ?? new Date());
  return node;
}

variable('Boiler.Temperature', 'Double', 21.5, { sourceTime: SOURCE_TIME });
variable('Pump.Speed', 'Int32', -1234);
variable('Pump.Running', 'Boolean', true);
variable('Tank.Raw', 'UInt16', 13824);
variable('Generation', 'Int32', generation);
variable('Label', 'String', 'not a number');
variable('Sensor.Uncertain', 'Double', 7.5, { status: StatusCodes.UncertainLastUsableValue });
variable('Sensor.Failed', 'Double', 0, { status: StatusCodes.BadSensorFailure });
for (const [name, dataType, value] of [
  ['Setpoint.Double', 'Double', 0],
  ['Setpoint.Float', 'Float', 0],
  ['Setpoint.Int16', 'Int16', 0],
  ['Setpoint.UInt32', 'UInt32', 0],
  ['Setpoint.Boolean', 'Boolean', false],
]) {
  variable(name, dataType, value, { writable: true });
}

const counter = variable('Counter', 'UInt32', 0);
let count = 0;
setInterval(() => counter.setValueFromSource({ dataType: DataType.UInt32, value: ++count }, StatusCodes.Good, new Date()), 100);

const width = Math.max(5, String(bulkCount).length);
const bulk = Array.from({ length: bulkCount }, (_, i) => variable(`Bulk.${String(i + 1).padStart(width, '0')}`, 'Double', 0));
let bulkStep = 0;
if (bulkCount > 0) {
  setInterval(() => {
    bulkStep += 1;
    const now = new Date();
    bulk.forEach((node, i) => node.setValueFromSource({ dataType: DataType.Double, value: bulkStep + i / 1000 }, StatusCodes.Good, now));
  }, bulkPeriodMs);
}

await server.start();
process.stdout.write(`listening ${server.endpoints[0].port}\n`);
