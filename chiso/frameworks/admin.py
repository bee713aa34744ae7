from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chiso.frameworks.models import Framework, Node

admin.site.register(Framework, SimpleHistoryAdmin)
admin.site.register(Node, SimpleHistoryAdmin)
