using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>The three heads' raw outputs and, for gated fusion, the gates.</summary>
/// <param name="Direction">Direction logits <c>[B]</c>.</param>
/// <param name="EarlyMove">Early-move logits <c>[B]</c>.</param>
/// <param name="Quality">Quality prediction <c>[B]</c>.</param>
/// <param name="Gates">Branch gates <c>[B, branches]</c> in (0, 1), or null for plain concatenation.</param>
public sealed record HybridOutput(Tensor Direction, Tensor EarlyMove, Tensor Quality, Tensor? Gates);
