namespace Kairos.Replay;

public enum TradeDirection
{
    Long = 1,
    Short = -1,
}
