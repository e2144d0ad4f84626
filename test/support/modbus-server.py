"""A Modbus TCP server for the driver tests, built on pymodbus (a different implementation than the
driver's jsmodbus, so the tests check the wire format, not one library against itself).

Usage: python3 modbus-server.py PORT GENERATION [--registers N] [--count-ms MS] [--refuse A,B] [--slow-ms MS]
Serves on 127.0.0.1:PORT (0: any free port) and prints "listening <port>" once it accepts
connections. Holding register 20 holds GENERATION, so a test sees which server instance answered.

Options (all off by default):
  --registers N   tables of N registers / bits instead of 32 (for benchmarks)
  --count-ms MS   holding register 21 counts up by one every MS milliseconds (0, 1, 2, ...)
  --refuse A,B    holding registers the server refuses (ILLEGAL DATA ADDRESS), like a hole in a PLC's map
  --slow-ms MS    a read or write that touches holding register 30 takes MS milliseconds to answer
"""

import argparse
import asyncio
import struct
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

REGISTERS = 32
COUNTER = 21
SLOW = 30


class HoldingRegisters(ModbusSequentialDataBlock):
    """Holding registers with optional refused addresses and one slow register."""

    def __init__(self, values, refused, slow_ms):
        super().__init__(0, values)
        self.refused = refused
        self.slow_ms = slow_ms

    def validate(self, address, count=1):
        if any(address <= r < address + count for r in self.refused):
            return False
        if self.slow_ms and address <= SLOW < address + count:
            time.sleep(self.slow_ms / 1000)  # blocks the whole server, as a busy PLC would
        return super().validate(address, count)


def words(fmt, value):
    """Big-endian 16-bit words of a value packed with a struct format (">i", ">f", ...)."""
    packed = struct.pack(fmt, value)
    return [int.from_bytes(packed[i : i + 2], "big") for i in range(0, len(packed), 2)]


def holding_registers(generation, registers):
    hr = [0] * registers
    hr[0:1] = words(">h", -1234)
    hr[1:2] = words(">H", 54321)
    hr[2:4] = words(">i", -123456)
    hr[4:6] = words(">I", 3000000000)
    hr[6:8] = words(">f", 21.5)
    hr[8:10] = list(reversed(words(">f", 21.5)))  # word-swapped (CDAB)
    hr[10:11] = words("<h", -1234)  # byte-swapped (BA)
    hr[20] = generation
    return hr


def input_registers(registers):
    ir = [0] * registers
    ir[0] = 13824  # half of 27648, the S7 analogue full scale
    return ir


async def count(store, period_ms):
    value = 0
    while True:
        store.setValues(3, COUNTER, [value % 65536])
        await asyncio.sleep(period_ms / 1000)
        value += 1


async def main(args):
    size = args.registers
    store = ModbusSlaveContext(
        hr=HoldingRegisters(holding_registers(args.generation, size), args.refuse, args.slow_ms),
        ir=ModbusSequentialDataBlock(0, input_registers(size)),
        co=ModbusSequentialDataBlock(0, [1, 0] + [0] * (size - 2)),
        di=ModbusSequentialDataBlock(0, [0, 1] + [0] * (size - 2)),
        zero_mode=True,
    )
    if args.count_ms:
        asyncio.create_task(count(store, args.count_ms))
    context = ModbusServerContext(slaves=store, single=True)
    server = await StartAsyncTcpServer(
        context=context, address=("127.0.0.1", args.port), defer_start=True, allow_reuse_address=True
    )
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    bound = server.server.sockets[0].getsockname()[1]
    print(f"listening {bound}", flush=True)
    await task


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("generation", type=int)
    parser.add_argument("--registers", type=int, default=REGISTERS)
    parser.add_argument("--count-ms", type=int, default=0)
    parser.add_argument("--refuse", type=lambda text: [int(a) for a in text.split(",") if a], default=[])
    parser.add_argument("--slow-ms", type=int, default=0)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
