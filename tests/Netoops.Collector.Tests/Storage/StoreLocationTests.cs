using Netoops.Collector.Storage;

namespace Netoops.Collector.Tests.Storage;

public sealed class StoreLocationTests
{
    [Fact]
    public void A_postgres_url_becomes_a_connection_with_its_user_port_and_database()
    {
        var location = StoreLocation.Parse("postgres://crash:s%40cret@db.example:5433/fleet?Timeout=5");
        Assert.Equal(StoreEngine.Postgres, location.Engine);
        Assert.Contains("Port=5433", location.ConnectionString);
        Assert.Contains("Password=s@cret", location.ConnectionString);
        Assert.Contains("Database=fleet", location.ConnectionString);
        Assert.Equal("postgres://crash@db.example:5433/fleet", location.Display);
    }

    [Fact]
    public void A_sqlite_path_is_made_absolute()
    {
        var location = StoreLocation.Parse("sqlite:./data/netoops.db");
        Assert.Equal("sqlite:" + Path.GetFullPath("./data/netoops.db"), location.Display);
    }

    [Theory]
    [InlineData("mysql://x/y")]
    [InlineData("sqlite:")]
    [InlineData("postgres://")]
    public void An_unknown_or_empty_database_url_is_refused_with_an_explanation(string url) =>
        Assert.Throws<FormatException>(() => StoreLocation.Parse(url));

    [Fact]
    public void User_blob_labels_are_key_value_words()
    {
        var labels = UserBlobLabels.Parse("rack=b12, role=db;note free text =x dup=1 dup=2");
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "b12", ["role"] = "db", ["dup"] = "1" }, labels);
    }
}
