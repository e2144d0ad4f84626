export const MAIN_HELP = `Usage: tandem <command> [flags]

Commands:
  serve     Run this node: its projects, drivers, archive and the operator UI over HTTP.
  demo      Try redundancy: a Server and a Standby of the demo project on this PC, with keys to
            kill and restart them.
  help      Show this help, or "tandem help serve" for a command's flags.

Flags for every command:
  --help     Show help.
  --version  Print the version.
`;

export const SERVE_HELP = `Usage: tandem serve [flags]

Runs a Tandem node: reads the project's drivers, evaluates alarms, archives values, records the
chronological event list, and serves the operator UI and the API at https://HOST:PORT/
(and http://127.0.0.1:PORT/ on this PC).

Flags:
  --project FILE   Project file to run (JSON, see docs/project-file.md).
                   Default: the built-in demo project.
  --cluster FILE   Run this node's part of a redundant cluster (JSON, see docs/cluster.md): its
                   projects with their Server/Standby pairs. The node listens on the port of its
                   own URL in the file; --node names which node this is.
                   Without --cluster, a node paired from the UI (Overview, Pairing) runs the
                   cluster in DIR/cluster.json of its data folder, written by the pairing; unpair
                   it in the UI to run standalone again.
  --data DIR       Folder for this node's databases. Created if missing. Default:
                   Linux $XDG_DATA_HOME/tandem (~/.local/share/tandem),
                   Windows %APPDATA%\\Tandem\\data, macOS ~/Library/Application Support/Tandem/data.
  --port PORT      TCP port for the UI and API, 0 picks a free one. Default: 7480 (not with
                   --cluster).
  --host HOST      Address to listen on. Default: 127.0.0.1 (this PC only), or with --cluster the
                   host of the node's URL; use 0.0.0.0 to let other stations connect.
  --node NAME      This node's name, shown in the UI, status and event list. Letters, digits,
                   ".", "_", "-". Default: the host name.
  --discovery-port PORT
                   UDP port on which this node answers "find Tandem PCs" searches of the pairing
                   wizard, and searches itself. Every node of a network uses the same one;
                   0 turns discovery off (type the other PC's address instead). Default: 7480.
  --allow-plain-http
                   Also take plain HTTP (and ws://) from other PCs. Without it the port speaks
                   HTTPS to everyone and plain HTTP only to this PC (127.0.0.1); other PCs asking
                   over plain HTTP are sent to https://. The node's self-signed certificate is
                   <data>/tls-certificate.pem; its fingerprint is printed at start and pinned by
                   its peer at pairing.
  --log-level L    debug, info, warn or error. Default: info.
  --demo-power-cut Demo only ("tandem demo" sets it; never on a plant node): a client on this PC
                   may POST /api/demo/power-cut (or click "Cut power" in the UI) to end this
                   process at once with SIGKILL, as a power cut would. Off by default.
  --help           Show this help.

Environment: TANDEM_PAIRING_CODE_TTL_MS sets how long a pairing code is valid (default 180000).

On start it prints "Tandem listening on <url>" on standard output. Stop it with Ctrl-C (SIGINT) or
SIGTERM; it records the stop in the event list and closes its databases cleanly.
`;

export const DEMO_HELP = `Usage: tandem demo [flags]

Starts a Server (pc-a) and a Standby (pc-b) of the built-in demo project on this PC, as two
"tandem serve --cluster" processes on 127.0.0.1, and prints their lines prefixed with the node name.
Kill the Server and watch the Standby take over; restart it and watch it align and take its role
back. In the UI, "Cut power to <node>" (Overview, Redundancy) ends the Server's process as a power
cut would; the demo starts it again 8 s later. Keys (each followed by Enter): a kills pc-a, b kills
pc-b (SIGKILL, as a power loss would), r restarts a stopped node with its data, q quits (stops both
cleanly, as Ctrl-C does).

Flags:
  --base-port N   pc-a listens on N, pc-b on N + 1. Default: 7101.
  --port-a PORT   pc-a's port (overrides --base-port).
  --port-b PORT   pc-b's port (overrides --base-port).
  --data DIR      Folder for the generated cluster file (with a fresh random secret) and each node's
                  databases (DIR/pc-a, DIR/pc-b). Default: the demo-pair folder in the default data
                  folder (Linux ~/.local/share/tandem/demo-pair).
  --help          Show this help.

Timing: heartbeat every 200 ms, a silent Server counts as failed after 1000 ms (the defaults of a
cluster file, see docs/cluster.md).
`;
