namespace Kairos.Pipeline;

/// <summary>The deep model <c>kairos run</c> trains, bundles and judges (<c>model:</c>, docs/run.md).</summary>
public enum DeepModelKind
{
    /// <summary>The hybrid model (ENTRY_V10_CTX, section <c>hybrid:</c>). The default.</summary>
    Hybrid,
    /// <summary>The Temporal Fusion Transformer (section <c>tft:</c>, docs/tft.md).</summary>
    Tft,
    /// <summary>The BiLSTM classifier (section <c>lstm:</c>, docs/pretraining.md): the direction head only.</summary>
    Lstm,
}
