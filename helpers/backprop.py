"""Backpropagation on the network's own graph, one step at a time.

The network for one flower is a graph of 16 nodes: the two inputs x1 and x2, the hidden
nodes' inputs a_up and a_bot and their ReLUs (upper and bottom), the three raw outputs,
the three probabilities, the cross entropy, and the output biases b3, b4, b5 as leaves.
Each edge carries its *local* derivative, d(node it feeds)/d(node it leaves):

    x_i -> a_j     W1[j, i]                 a_j -> h_j    [a_j > 0]  (the ReLU's gate)
    h_j -> z_k     W2[k, j]                 b_k -> z_k    1
    z_j -> p_k     p_k ([k = j] - p_j)      p_k -> CE     -[k observed] / p_k

The forward pass fills the nodes' values left to right, one node a step. The backward pass
starts at the loss (dCE/dCE = 1) and runs right to left, one edge a step: each step
multiplies the edge's local derivative by the gradient already found at the node it feeds
(the "upstream" gradient); a node fed by several paths adds their products as they
arrive. It ends at the output biases, b3 last.

`graph_numbers` computes every number a step shows (values, local derivatives, products,
running sums), vectorized over a grid of b3 values; `flower_steps` lists the steps in
order. `parameter_paths` follows any of the 15 parameters back to the loss along all its
paths. Everything here agrees with `network.forward` and `network.gradients`
(tests/test_backprop.py).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from helpers.network import OUTPUT_BIASES, SPECIES, Network, check_data, forward, output_bias_log_sweep

HIDDEN = ("upper", "bottom")  # the ReLU nodes (the blue and orange bent surfaces)
HIDDEN_IN = ("a_up", "a_bot")  # their inputs, before ReLU
RAW = ("z_s", "z_ve", "z_vi")  # the raw outputs (crinkled surfaces), one per species
PROBS = ("p_s", "p_ve", "p_vi")  # softmax of the raw outputs
INPUTS = ("x1", "x2")  # petal width, sepal width
NODES = (*INPUTS, *HIDDEN_IN, *HIDDEN, *RAW, *PROBS, "CE", *OUTPUT_BIASES)
FORWARD_ORDER = (*INPUTS, *HIDDEN_IN, *HIDDEN, *RAW, *PROBS, "CE")  # the leaves b3..b5 are set, not computed

# Every edge as (the node it leaves, the node it feeds); its name is "leaves>feeds".
EDGES = (
    *((x, a) for a in HIDDEN_IN for x in INPUTS),
    *zip(HIDDEN_IN, HIDDEN),
    *((h, z) for h in HIDDEN for z in RAW),
    *zip(OUTPUT_BIASES, RAW),
    *((z, p) for p in PROBS for z in RAW),
    *((p, "CE") for p in PROBS),
)
EDGE_NAMES = tuple(f"{a}>{b}" for a, b in EDGES)


def edge(leaves: str, feeds: str) -> str:
    """The name of the edge from `leaves` to `feeds` ("upper>z_s")."""
    name = f"{leaves}>{feeds}"
    if name not in EDGE_NAMES:
        raise ValueError(f"no edge from {leaves!r} to {feeds!r}; the graph's edges are {', '.join(EDGE_NAMES)}")
    return name


class Step(NamedTuple):
    """One step of the passes, as the explorer shows and says it.

    A forward step fills `node`'s value through `edges` (the edges into it). A backward
    step sends one product back along `edges[0]` (none for the first, the seed dCE/dCE = 1):
    `local` x `upstream` = `product`, numbers named as in `graph_numbers`; `terms` are the
    products the node has collected so far (more than one for a node fed by several paths)
    and `total` their sum, the node's gradient so far. `zero` names nodes whose gradient
    this step sets to 0 without a product (probabilities the CE does not use).
    """

    phase: str  # "forward" or "backward"
    node: str
    edges: tuple[str, ...]
    local: str = ""
    upstream: str = ""
    product: str = ""
    terms: tuple[str, ...] = ()
    total: str = ""
    zero: tuple[str, ...] = ()


def local_rule(name: str, observed: int) -> str:
    """The local derivative of an edge, in words ("p_s(1 - p_s)", "[a_up > 0]", "W2[0,1]")."""
    leaves, feeds = name.split(">")
    if feeds == "CE":
        return f"-1/{leaves}"
    if feeds in PROBS:
        k, j = PROBS.index(feeds), RAW.index(leaves)
        return f"{feeds}(1 - {feeds})" if k == j else f"-{feeds} {PROBS[j]}"
    if feeds in RAW:
        return "1" if leaves in OUTPUT_BIASES else f"W2[{RAW.index(feeds)},{HIDDEN.index(leaves)}]"
    if feeds in HIDDEN:
        return f"[{leaves} > 0]"
    return f"W1[{HIDDEN_IN.index(feeds)},{INPUTS.index(leaves)}]"


def flower_steps(observed: int) -> list[Step]:
    """The forward steps (one node each, left to right), then the backward steps (one edge
    each, right to left), for a flower of species `observed` (0 Setosa, 1 Versicolor, 2 Virginica).

    The backward pass: the seed at CE; CE's one input p_observed (the other probabilities
    do not enter CE: gradient 0); the three raw outputs through softmax; each hidden node
    along its three paths, summing; through each ReLU's gate; last the output biases, b3 last.
    """
    if observed not in (0, 1, 2):
        raise ValueError(f"observed must be a species index 0, 1 or 2 ({', '.join(SPECIES)}); got {observed!r}")
    steps = [Step("forward", node, tuple(f"{a}>{b}" for a, b in EDGES if b == node)) for node in FORWARD_ORDER]
    p_obs = PROBS[observed]
    others = tuple(p for p in PROBS if p != p_obs)
    steps.append(Step("backward", "CE", (), total="d:CE"))

    def back(leaves: str, feeds: str, terms: tuple[str, ...] = (), zero: tuple[str, ...] = ()) -> Step:
        name = edge(leaves, feeds)
        product = f"prod:{name}"
        terms = (*terms, product)
        total = f"d:{leaves}"
        if leaves in HIDDEN and len(terms) < 3:  # a hidden node part-way through its three paths
            total = product if len(terms) == 1 else f"sum:{leaves}:2"
        return Step("backward", leaves, (name,), f"loc:{name}", f"d:{feeds}", product, terms, total, zero)

    steps.append(back(p_obs, "CE", zero=others))
    steps += [back(z, p_obs) for z in RAW]
    for h in HIDDEN:
        terms: tuple[str, ...] = ()
        for z in RAW:
            steps.append(back(h, z, terms))
            terms = steps[-1].terms
    steps += [back(a, h) for a, h in zip(HIDDEN_IN, HIDDEN)]
    steps += [back(b, z) for b, z in reversed(list(zip(OUTPUT_BIASES, RAW)))]
    return steps


def graph_numbers(net: Network, X: ArrayLike, y: ArrayLike, b3_values: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Every number the graph shows, for every row of X, at every b3 value: name -> (len(b3_values), n).

    Names: a node's value by its own name ("z_s", "b3"); "d:node" its gradient dCE/d(node)
    (of that row's CE); "loc:edge" an edge's local derivative; "prod:edge" the product it
    sends back (local x the gradient of the node it feeds); "sum:node:2" a node's sum after
    its first two paths; "p_obs" in a name stands for the row's observed probability.
    Vectorized over rows and b3 values (log-sum-exp softmax); exact zeros are +0.0, so
    nothing prints as "-0.000".
    """
    X, y = check_data(X, y)
    b3 = np.asarray(b3_values, dtype=float).reshape(-1)
    grid = (len(b3), len(y))
    fp = forward(net, X)
    probs = np.exp(output_bias_log_sweep(net, X, "b3", b3))  # (G, n, 3)
    raw = np.broadcast_to(fp.raw, (*grid, 3)).copy()
    raw[:, :, 0] += b3[:, None] - net.b3
    onehot = np.eye(3)[y]  # (n, 3)
    p_obs = probs[:, np.arange(len(y)), y]  # (G, n)
    out: dict[str, NDArray[np.float64]] = {}

    def put(name: str, values: ArrayLike) -> None:
        out[name] = np.broadcast_to(np.asarray(values, dtype=float), grid).copy()

    for i, x in enumerate(INPUTS):
        put(x, X[:, i])
    for j, (a, h) in enumerate(zip(HIDDEN_IN, HIDDEN)):
        put(a, fp.hidden_in[:, j])
        put(h, fp.hidden[:, j])
    for k in range(3):
        put(RAW[k], raw[:, :, k])
        put(PROBS[k], probs[:, :, k])
        put(OUTPUT_BIASES[k], b3[:, None] if k == 0 else net.b_out[k])
    put("CE", -np.log(p_obs))
    # the backward pass: CE, the probabilities, the raw outputs
    put("d:CE", 1.0)
    for k, p in enumerate(PROBS):
        put(f"loc:{p}>CE", -onehot[:, k] / probs[:, :, k])
        put(f"prod:{p}>CE", out[f"loc:{p}>CE"])
        put(f"d:{p}", out[f"loc:{p}>CE"])
    for j, z in enumerate(RAW):
        for k, p in enumerate(PROBS):
            put(f"loc:{z}>{p}", probs[:, :, k] * ((k == j) - probs[:, :, j]))
            put(f"prod:{z}>{p}", out[f"loc:{z}>{p}"] * out[f"d:{p}"])
        # only the observed probability sends anything back (the others' gradients are 0),
        # so this sum is one product; it equals p_j - [j observed], notebook 4's rule
        put(f"d:{z}", sum(out[f"prod:{z}>{p}"] for p in PROBS))
    # the hidden nodes, each along three paths, then through their gates
    for j, (a, h) in enumerate(zip(HIDDEN_IN, HIDDEN)):
        running = np.zeros(grid)
        for k, z in enumerate(RAW):
            put(f"loc:{h}>{z}", net.w_out[k, j])
            put(f"prod:{h}>{z}", net.w_out[k, j] * out[f"d:{z}"])
            running = running + out[f"prod:{h}>{z}"]
            if k == 1:
                put(f"sum:{h}:2", running)
        put(f"d:{h}", running)
        put(f"loc:{a}>{h}", (fp.hidden_in[:, j] > 0).astype(float))
        put(f"prod:{a}>{h}", out[f"loc:{a}>{h}"] * running)
        put(f"d:{a}", out[f"prod:{a}>{h}"])
        for i, x in enumerate(INPUTS):
            put(f"loc:{x}>{a}", net.w_hidden[j, i])
    for b, z in zip(OUTPUT_BIASES, RAW):
        put(f"loc:{b}>{z}", 1.0)
        put(f"prod:{b}>{z}", out[f"d:{z}"])
        put(f"d:{b}", out[f"d:{z}"])
    # the same, named for the observed species' probability on each row ("d:p_obs", "loc:z_s>p_obs")
    rows = np.arange(len(y))
    for name in ("loc:{}>CE", "prod:{}>CE", "d:{}", *(f"loc:{z}>{{}}" for z in RAW), *(f"prod:{z}>{{}}" for z in RAW)):
        by_class = np.stack([out[name.format(p)] for p in PROBS], axis=-1)  # (G, n, 3)
        put(name.format("p_obs"), by_class[:, rows, y])
    return {name: np.where(values == 0, 0.0, values) for name, values in out.items()}


# --- every parameter: the paths from the loss that reach it ------------------------------


PARAMETERS = (
    *(f"W1[{j},{i}]" for j in range(2) for i in range(2)),
    "b1",
    "b2",
    *(f"W2[{k},{j}]" for k in range(3) for j in range(2)),
    *OUTPUT_BIASES,
)  # the 15 parameters, in the order of notebook 7's gradient check


class Path(NamedTuple):
    """One path from the loss to a parameter, on one flower: the nodes it passes (loss
    first), the local derivative of each of its edges, and their product."""

    row: int
    nodes: tuple[str, ...]
    locals: tuple[float, ...]
    product: float
    gate: str  # "" if the path crosses no ReLU or its gate is open; else the closed gate, e.g. "a_up <= 0"


def parameter_paths(net: Network, X: ArrayLike, y: ArrayLike, parameter: str) -> list[Path]:
    """Every path from each flower's CE back to `parameter` (one of PARAMETERS), with the
    chain rule's product along it; their sum over paths and flowers is d(total CE)/d(parameter).

    A path runs CE <- z_k (local p_k - [k observed], the softmax and log together) and, for
    an output weight or bias, ends there (local h_j or 1). For a hidden weight or bias it
    goes on through W2[k, j] and the ReLU's gate [a_j > 0] to the parameter (local x_i or 1):
    three paths per flower, one through each raw output. A closed gate (a dead node on that
    flower) makes every path through it carry 0.
    """
    if parameter not in PARAMETERS:
        raise ValueError(f"parameter must be one of {', '.join(PARAMETERS)}; got {parameter!r}")
    if net.n_hidden != 2:
        raise ValueError(f"the graph has two hidden nodes (upper, bottom); this network has {net.n_hidden}")
    X, y = check_data(X, y)
    fp = forward(net, X)
    delta = fp.probs - np.eye(3)[y]  # dCE/dz_k, per flower
    paths = []
    for i in range(len(y)):
        if parameter in OUTPUT_BIASES:
            k = OUTPUT_BIASES.index(parameter)
            paths.append(Path(i, ("CE", RAW[k], parameter), (delta[i, k], 1.0), delta[i, k], ""))
        elif parameter.startswith("W2"):
            k, j = int(parameter[3]), int(parameter[5])
            local = (delta[i, k], fp.hidden[i, j])
            paths.append(Path(i, ("CE", RAW[k], parameter), local, float(np.prod(local)), ""))
        else:
            j = int(parameter[3]) if parameter.startswith("W1") else int(parameter[1]) - 1
            last = X[i, int(parameter[5])] if parameter.startswith("W1") else 1.0
            gate = float(fp.hidden_in[i, j] > 0)
            closed = "" if gate else f"{HIDDEN_IN[j]} <= 0"
            for k in range(3):
                local = (delta[i, k], net.w_out[k, j], gate, last)
                nodes = ("CE", RAW[k], HIDDEN[j], HIDDEN_IN[j], parameter)
                paths.append(Path(i, nodes, local, float(np.prod(local)) + 0.0, closed))
    return paths


def parameter_gradient(net: Network, X: ArrayLike, y: ArrayLike, parameter: str) -> float:
    """d(total CE)/d(parameter) as the sum over `parameter_paths`."""
    return float(sum(path.product for path in parameter_paths(net, X, y, parameter)))
