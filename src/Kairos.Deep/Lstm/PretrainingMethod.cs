namespace Kairos.Deep.Lstm;

/// <summary>How <c>kairos pretrain</c> trains the BiLSTM encoder without labels.</summary>
public enum PretrainingMethod
{
    /// <summary>Masked autoencoder: hide positions, reconstruct them (<see cref="MaskedPretrainer"/>).</summary>
    Masked,
    /// <summary>TS2Vec: hierarchical contrastive learning over two overlapping crops (<see cref="Ts2VecPretrainer"/>).</summary>
    Ts2Vec,
}
