using Kairos.Deep.Hybrid;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>The TFT's three heads (in the hybrid's shape, so the hybrid's loss terms apply) and what it attended to.</summary>
/// <param name="Heads">Direction and early-move logits, quality prediction, each <c>[B]</c> (no gates).</param>
/// <param name="SequenceWeights">Sequence variable-selection weights <c>[B, L, S]</c>, summing to 1 over S.</param>
/// <param name="StaticWeights">Static variable-selection weights <c>[B, V]</c>, summing to 1 over V (order: <see cref="TftModel.StaticVariables"/>).</param>
/// <param name="Attention">The decision bar's head-averaged attention over the window <c>[B, L]</c>, summing to 1 (index L-1 is the decision bar).</param>
public sealed record TftOutput(HybridOutput Heads, Tensor SequenceWeights, Tensor StaticWeights, Tensor Attention);
