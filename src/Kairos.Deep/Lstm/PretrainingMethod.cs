using System.Text.Json.Serialization;

namespace Kairos.Deep.Lstm;

/// <summary>How <c>kairos pretrain</c> trains the BiLSTM encoder without labels.</summary>
public enum PretrainingMethod
{
    /// <summary>Masked autoencoder: hide positions, reconstruct them (<see cref="MaskedPretrainer"/>).</summary>
    [JsonStringEnumMemberName("masked")]
    Masked,
    /// <summary>TS2Vec: hierarchical contrastive learning over two overlapping crops (<see cref="Ts2VecPretrainer"/>).</summary>
    [JsonStringEnumMemberName("ts2vec")]
    Ts2Vec,
}
