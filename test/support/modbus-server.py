"""A Modbus TCP server for the driver tests, built on pymodbus (a different implementation than the
driver's jsmodbus, so the tests check the wire format, not one library against itself).

Usage: python3 modbus-server.py PORT GENERATION
Serves on 127.0.0.1:PORT (0: any free port) and prints "listening <port>" once it accepts
connections. Holding register 20 holds GENERATION, so a test sees which server instance answered.
"""

import asyncio
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

REGISTERS = 32


def words(fmt, value):
    """Big-endian 16-bit words of a value packed with a struct format (">i", ">f", ...)."""
    packed = struct.pack(fmt, value)
    return [int.from_bytes(packed[i : i + 2], "big") for i in range(0, len(packed), 2)]


def holding_registers(generation):
    hr = [0] * REGISTERS
    hr[0:1] = words(">h", -1234)
    hr[1:2] = words(">H", 54321)
    hr[2:4] = words(">i", -123456)
    hr[4:6] = words(">I", 3000000000)
    hr[6:8] = words(">f", 21.5)
    hr[8:10] = list(reversed(words(">f", 21.5)))  # word-swapped (CDAB)
    hr[10:11] = words("<h", -1234)  # byte-swapped (BA)
    hr[20] = generation
    return hr


def input_registers():
    ir = [0] * REGISTERS
    ir[0] = 13824  # half of 27648, the S7 analogue full scale
    return ir


async def main(port, generation):
    store = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, holding_registers(generation)),
        ir=ModbusSequentialDataBlock(0, input_registers()),
        co=ModbusSequentialDataBlock(0, [1, 0] + [0] * (REGISTERS - 2)),
        di=ModbusSequentialDataBlock(0, [0, 1] + [0] * (REGISTERS - 2)),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves=store, single=True)
    server = await StartAsyncTcpServer(
        context=context, address=("127.0.0.1", port), defer_start=True, allow_reuse_address=True
    )
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    bound = server.server.sockets[0].getsockname()[1]
    print(f"listening {bound}", flush=True)
    await task


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
